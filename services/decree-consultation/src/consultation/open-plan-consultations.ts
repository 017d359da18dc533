import { Inject, Injectable, Logger } from '@nestjs/common';
import { EventEnvelope, PlanAmendedV1, PlanIssuedV1, SYSTEM_ACTOR } from '@thihanh/contracts';
import { CLOCK, Clock, DomainError } from '@thihanh/domain';
import { AggregateRepository, PostgresEventStore, SqlClient } from '@thihanh/event-store';
import { EVENT_STORE } from '@thihanh/platform';
import { Consultation } from './consultation.aggregate';
import { planConsultations } from './plan-consultations';
import { consultationRepository } from './consultation.repository';

/**
 * An issued plan's consultation tasks become consultations, in the consuming transaction; an amended
 * plan opens the new ones, tells the others their parties and fixed deadline, and cancels those it
 * dropped. Ids are derived from plan and task, so redelivery and replay open nothing twice.
 */
@Injectable()
export class OpenPlanConsultations {
  private readonly logger = new Logger(OpenPlanConsultations.name);
  private readonly repository: AggregateRepository<Consultation>;

  constructor(
    @Inject(EVENT_STORE) store: PostgresEventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.repository = consultationRepository(store);
  }

  async forPlan(event: EventEnvelope<PlanIssuedV1 | PlanAmendedV1>, tx: SqlClient): Promise<{ opened: number; changed: number; cancelled: number }> {
    const { planId, planVersion, content } = event.data;
    const metadata = { actor: SYSTEM_ACTOR, correlationId: event.metadata.correlationId, causationId: event.eventId };
    const at = this.clock.now().toISOString();
    const wanted = planConsultations(planId, planVersion, content);
    // Appends come first in the transaction (commit-order guarantee), so existing streams are found by a read.
    const { rows } = await tx.query<{ consultation_id: string }>(
      `SELECT data->>'consultationId' AS consultation_id FROM es_events WHERE event_type = 'ConsultationOpened' AND data->>'planId' = $1`,
      [planId],
    );
    const existing = new Set(rows.map((r) => r.consultation_id));
    const result = { opened: 0, changed: 0, cancelled: 0 };
    for (const { consultationId, ...opening } of wanted) {
      if (existing.has(consultationId)) {
        if (event.type !== 'PlanAmended') continue;
        const consultation = await this.repository.load(consultationId, tx);
        if (consultation.status !== 'open') continue;
        this.tolerate(consultationId, () => {
          consultation.changeParties(planVersion, opening.leadAgencyId, opening.coordinatorAgencyIds);
          if (opening.deadline && opening.deadline !== consultation.deadline) consultation.setDeadline(opening.deadline, 'plan', at);
        });
        if (consultation.pendingEvents.length === 0) continue;
        await this.repository.save(consultation, metadata, tx);
        result.changed += 1;
        continue;
      }
      const consultation = new Consultation(consultationId);
      consultation.open(opening);
      await this.repository.save(consultation, metadata, tx);
      result.opened += 1;
    }
    if (event.type === 'PlanAmended') {
      const kept = new Set(wanted.map((c) => c.consultationId));
      for (const consultationId of existing) {
        if (kept.has(consultationId)) continue;
        const consultation = await this.repository.load(consultationId, tx);
        if (consultation.status !== 'open') continue;
        consultation.cancel(`Kế hoạch sửa đổi (phiên bản ${planVersion}) không còn nhiệm vụ ${consultation.taskNumber}: ${(event.data as PlanAmendedV1).reason}`, at);
        await this.repository.save(consultation, metadata, tx);
        result.cancelled += 1;
      }
    }
    return result;
  }

  /** A plan's change the consultation cannot take (a fixed date already past) is logged, not retried forever. */
  private tolerate(consultationId: string, change: () => void): void {
    try {
      change();
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      this.logger.warn(`consultation ${consultationId}: plan change not applied: ${error.message}`);
    }
  }
}
