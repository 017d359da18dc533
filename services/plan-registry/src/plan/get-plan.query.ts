import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { NotFoundError } from '@thihanh/domain';
import { PostgresEventStore } from '@thihanh/event-store';
import { EVENT_STORE } from '@thihanh/platform';
import { Plan } from './plan.aggregate';
import { PlanEvent } from './plan.events';
import { planNotFound } from './plan.errors';

export class GetPlan {
  /** `planVersion`: 1 = as issued, 2 = after the first amendment, …; omitted = current. */
  constructor(readonly planId: string, readonly planVersion?: number) {}
}

/** A plan as it stands, or as it stood at one of its versions: its stream replayed that far. */
@QueryHandler(GetPlan)
export class GetPlanHandler implements IQueryHandler<GetPlan> {
  constructor(@Inject(EVENT_STORE) private readonly store: PostgresEventStore) {}

  async execute({ planId, planVersion }: GetPlan) {
    const events = await this.store.readStream(`plan-${planId}`);
    if (events.length === 0) throw planNotFound(planId);
    const plan = new Plan(planId);
    let version = 0;
    for (const event of events) {
      if (planVersion !== undefined && plan.planVersion === planVersion) break;
      plan.rehydrate([{ type: event.type, data: event.data } as PlanEvent], event.streamVersion);
      version = event.streamVersion;
    }
    if (planVersion !== undefined && plan.planVersion !== planVersion) {
      throw new NotFoundError('PLAN.VERSION_NOT_FOUND', `Plan ${planId} has no version ${planVersion}`, { planId, planVersion });
    }
    return { planId, status: plan.status, planVersion: plan.planVersion, version, content: plan.content };
  }
}
