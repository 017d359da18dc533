import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { EventMetadata } from '@thihanh/contracts';
import { AgencyDirectoryService } from '../agency-directory/agency-directory.service';
import { PlanInput, resolveParties } from './plan-parties';
import { PlanRepository } from './plan.repository';
import { assertMayEditPlan } from './plan.policy';

export class RevisePlanDraft {
  constructor(
    readonly planId: string,
    readonly input: PlanInput,
    readonly metadata: EventMetadata,
    readonly ifMatch?: number,
  ) {}
}

@CommandHandler(RevisePlanDraft)
export class RevisePlanDraftHandler implements ICommandHandler<RevisePlanDraft> {
  constructor(
    private readonly plans: PlanRepository,
    private readonly directory: AgencyDirectoryService,
  ) {}

  async execute({ planId, input, metadata, ifMatch }: RevisePlanDraft) {
    const plan = await this.plans.load(planId, ifMatch);
    assertMayEditPlan(metadata, plan.content!);
    assertMayEditPlan(metadata, input);
    plan.revise(resolveParties(await this.directory.current(), input, true));
    return this.plans.save(plan, metadata);
  }
}
