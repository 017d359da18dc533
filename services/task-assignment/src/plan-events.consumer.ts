import { Injectable, Logger } from '@nestjs/common';
import { EventEnvelope, PlanAmendedV1, PlanIssuedV1 } from '@thihanh/contracts';
import { SqlClient } from '@thihanh/event-store';
import { InboundEventHandler } from '@thihanh/platform';
import { OpenPlanCases } from './fan-out/open-plan-cases';

/** Plan registry's events → cases: issued plans open them, amendments change them. */
@Injectable()
export class PlanEventsConsumer implements InboundEventHandler {
  private readonly logger = new Logger(PlanEventsConsumer.name);

  constructor(private readonly cases: OpenPlanCases) {}

  async handle(event: EventEnvelope, tx: SqlClient): Promise<boolean> {
    if (event.type === 'PlanIssued') {
      const { opened, existing } = await this.cases.forIssuedPlan(event as EventEnvelope<PlanIssuedV1>, tx);
      this.logger.log(`plan ${(event.data as PlanIssuedV1).planId}: ${opened} cases opened, ${existing} already open`);
      return true;
    }
    if (event.type === 'PlanAmended') {
      const result = await this.cases.forAmendedPlan(event as EventEnvelope<PlanAmendedV1>, tx);
      this.logger.log(`plan ${(event.data as PlanAmendedV1).planId} amended: ${JSON.stringify(result)}`);
      return true;
    }
    return false;
  }
}
