import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { EventMetadata } from '@thihanh/contracts';
import { AgencyDirectoryService } from '../agency-directory/agency-directory.service';
import { expandGroups } from './plan-parties';
import { PlanRepository } from './plan.repository';
import { assertMayEditPlan } from './plan.policy';

export class IssuePlan {
  constructor(
    readonly planId: string,
    /** What only the act of issuing fixes: the document's number, date and signer. */
    readonly issuance: { number: string; issuedOn: string; signer?: { name: string; title: string | null } },
    readonly metadata: EventMetadata,
    readonly ifMatch?: number,
  ) {}
}

@CommandHandler(IssuePlan)
export class IssuePlanHandler implements ICommandHandler<IssuePlan> {
  constructor(
    private readonly plans: PlanRepository,
    private readonly directory: AgencyDirectoryService,
  ) {}

  async execute({ planId, issuance, metadata, ifMatch }: IssuePlan) {
    const plan = await this.plans.load(planId, ifMatch);
    assertMayEditPlan(metadata, plan.content!);
    const content = { ...plan.content!, number: issuance.number, issuedOn: issuance.issuedOn, signer: issuance.signer ?? plan.content!.signer };
    plan.issue(expandGroups(await this.directory.current(), content));
    return this.plans.save(plan, metadata);
  }
}
