import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { EventMetadata } from '@thihanh/contracts';
import { CLOCK, Clock, ID_SOURCE, IdSource, vietnamDay } from '@thihanh/domain';
import { AggregateRepository, PostgresEventStore } from '@thihanh/event-store';
import { BackgroundWorkers, EVENT_STORE } from '@thihanh/platform';
import { inRound } from '../provincial-report/compile-report';
import { ReportFacts } from '../provincial-report/report-facts';
import { ReportingRound } from './round.aggregate';
import { forbidden } from './round.errors';

import { roundRepository } from './round.repository';
import { coordinatesReporting } from './round.policy';

/** The coordinator's ad-hoc request (báo cáo đột xuất): its own due date, period and scope. */
export class OpenRound {
  constructor(
    readonly planId: string,
    readonly request: { title: string; dueBefore: string; period?: { from: string; to: string }; agencyIds?: string[]; taskNumbers?: string[]; note?: string },
    readonly metadata: EventMetadata,
  ) {}
}

@CommandHandler(OpenRound)
export class OpenRoundHandler implements ICommandHandler<OpenRound> {
  private readonly rounds: AggregateRepository<ReportingRound>;

  constructor(
    @Inject(EVENT_STORE) store: PostgresEventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_SOURCE) private readonly ids: IdSource,
    private readonly facts: ReportFacts,
    private readonly workers: BackgroundWorkers,
  ) {
    this.rounds = roundRepository(store);
  }

  async execute({ planId, request, metadata }: OpenRound) {
    const plan = await this.facts.plan(planId);
    const { agencyId } = metadata.actor;
    const coordinator = plan.coordinatorAgencyId ?? agencyId;
    if (!coordinatesReporting(metadata.actor, plan.coordinatorAgencyId)) throw forbidden('ask for reports', agencyId);
    const today = vietnamDay(this.clock.now());
    const period = request.period ?? { from: `${today.slice(0, 4)}-01-01`, to: today };
    const taskNumbers = request.taskNumbers ?? [];
    const agencies =
      request.agencyIds ??
      [...new Set((await this.facts.cases(planId)).filter((c) => c.status !== 'cancelled' && inRound({ period, taskNumbers }, c)).map((c) => c.agencyId))];
    const round = new ReportingRound(this.ids.next());
    round.open({
      planId, kind: 'adhoc', title: request.title, period, dueBefore: request.dueBefore, coordinatorAgencyId: coordinator, agencyIds: agencies, taskNumbers,
      note: request.note ?? null, source: 'coordinator',
    });
    const saved = await this.rounds.save(round, metadata);
    this.workers.poke();
    return { roundId: round.id, agencies: round.agencyIds.length, version: saved?.nextVersion ?? round.version };
  }
}
