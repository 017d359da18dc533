import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { EventMetadata } from '@thihanh/contracts';
import { AgencyDirectoryService } from '../agency-directory/agency-directory.service';
import { PlanInput, expandGroups, resolveParties } from './plan-parties';
import { PlanRepository } from './plan.repository';
import { assertMayEditPlan } from './plan.policy';

export class AmendPlan {
  constructor(
    readonly planId: string,
    readonly input: PlanInput,
    readonly reason: string,
    readonly metadata: EventMetadata,
    readonly ifMatch?: number,
  ) {}
}

@CommandHandler(AmendPlan)
export class AmendPlanHandler implements ICommandHandler<AmendPlan> {
  constructor(
    private readonly plans: PlanRepository,
    private readonly directory: AgencyDirectoryService,
  ) {}

  async execute({ planId, input, reason, metadata, ifMatch }: AmendPlan) {
    const plan = await this.plans.load(planId, ifMatch);
    assertMayEditPlan(metadata, plan.content!);
    assertMayEditPlan(metadata, input);
    const directory = await this.directory.current();
    // What issuing fixed stays unless the amendment (itself a document) gives its own.
    const current = plan.content!;
    const content = resolveParties(directory, input, true);
    content.number ??= current.number;
    content.issuedOn ??= current.issuedOn;
    content.signer ??= current.signer;
    plan.amend(expandGroups(directory, content), reason);
    return this.plans.save(plan, metadata);
  }
}
