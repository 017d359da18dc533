import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { EventMetadata } from '@thihanh/contracts';
import { PlanRepository } from './plan.repository';
import { assertMayEditPlan } from './plan.policy';

export class ClosePlan {
  constructor(
    readonly planId: string,
    readonly reason: string,
    readonly closedOn: string,
    readonly metadata: EventMetadata,
    readonly ifMatch?: number,
  ) {}
}

@CommandHandler(ClosePlan)
export class ClosePlanHandler implements ICommandHandler<ClosePlan> {
  constructor(private readonly plans: PlanRepository) {}

  async execute({ planId, reason, closedOn, metadata, ifMatch }: ClosePlan) {
    const plan = await this.plans.load(planId, ifMatch);
    assertMayEditPlan(metadata, plan.content!);
    plan.close(reason, closedOn);
    return this.plans.save(plan, metadata);
  }
}
