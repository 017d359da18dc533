import { Inject, Injectable } from '@nestjs/common';
import { EventMetadata } from '@thihanh/contracts';
import { AggregateRepository, PostgresEventStore } from '@thihanh/event-store';
import { assertIfMatch } from '@thihanh/http';
import { BackgroundWorkers, EVENT_STORE } from '@thihanh/platform';
import { Plan } from './plan.aggregate';
import { PLAN_STREAM_TYPE } from './plan.events';

/** Plans by id: replayed from their stream, saved with the version they were loaded at. */
@Injectable()
export class PlanRepository {
  private readonly repository: AggregateRepository<Plan>;

  constructor(
    @Inject(EVENT_STORE) store: PostgresEventStore,
    private readonly workers: BackgroundWorkers,
  ) {
    this.repository = new AggregateRepository(store, { streamType: PLAN_STREAM_TYPE, create: (id) => new Plan(id), notFoundCode: 'PLAN.NOT_FOUND' });
  }

  /** Loads a plan; with `ifMatch`, refuses (412) if it changed since the caller read it. */
  async load(planId: string, ifMatch?: number): Promise<Plan> {
    const plan = await this.repository.load(planId);
    assertIfMatch(ifMatch, plan.version, 'plan');
    return plan;
  }

  async save(plan: Plan, metadata: EventMetadata): Promise<{ planId: string; version: number }> {
    const result = await this.repository.save(plan, metadata);
    this.workers.poke();
    return { planId: plan.id, version: result?.nextVersion ?? plan.version };
  }
}
