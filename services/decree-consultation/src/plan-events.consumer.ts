import { Injectable, Logger } from '@nestjs/common';
import { EventEnvelope, PlanAmendedV1, PlanIssuedV1 } from '@thihanh/contracts';
import { SqlClient } from '@thihanh/event-store';
import { InboundEventHandler } from '@thihanh/platform';
import { OpenPlanConsultations } from './consultation/open-plan-consultations';

/** Plan registry's events → consultations: issued plans open them, amendments change or cancel them. */
@Injectable()
export class PlanEventsConsumer implements InboundEventHandler {
  private readonly logger = new Logger(PlanEventsConsumer.name);

  constructor(private readonly consultations: OpenPlanConsultations) {}

  async handle(event: EventEnvelope, tx: SqlClient): Promise<boolean> {
    if (event.type !== 'PlanIssued' && event.type !== 'PlanAmended') return false;
    const result = await this.consultations.forPlan(event as EventEnvelope<PlanIssuedV1 | PlanAmendedV1>, tx);
    this.logger.log(`plan ${(event.data as PlanIssuedV1).planId} v${(event.data as PlanIssuedV1).planVersion}: ${JSON.stringify(result)}`);
    return true;
  }
}
