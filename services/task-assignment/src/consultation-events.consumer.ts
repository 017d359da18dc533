import { Injectable, Logger } from '@nestjs/common';
import { ConsultationDeadlineSetV1, ConsultationResponseSubmittedV1, EventEnvelope } from '@thihanh/contracts';
import { SqlClient } from '@thihanh/event-store';
import { InboundEventHandler } from '@thihanh/platform';
import { OpenPlanCases } from './fan-out/open-plan-cases';

/**
 * Decree consultation's events: a consultation's deadline becomes the due date of its dependent
 * cases; its submitted response fulfils the lead's case.
 */
@Injectable()
export class ConsultationEventsConsumer implements InboundEventHandler {
  private readonly logger = new Logger(ConsultationEventsConsumer.name);

  constructor(private readonly cases: OpenPlanCases) {}

  async handle(event: EventEnvelope, tx: SqlClient): Promise<boolean> {
    if (event.type === 'ConsultationDeadlineSet') {
      const updated = await this.cases.setDependentDueDate(event as EventEnvelope<ConsultationDeadlineSetV1>, tx);
      this.logger.log(`consultation ${(event.data as ConsultationDeadlineSetV1).consultationId}: due date set on ${updated} cases`);
      return true;
    }
    if (event.type === 'ConsultationResponseSubmitted') {
      const fulfilled = await this.cases.fulfilFromResponse(event as EventEnvelope<ConsultationResponseSubmittedV1>, tx);
      this.logger.log(`consultation ${(event.data as ConsultationResponseSubmittedV1).consultationId}: ${fulfilled} lead cases fulfilled`);
      return true;
    }
    return false;
  }
}
