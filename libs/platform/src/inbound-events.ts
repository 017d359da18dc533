import { Type } from '@nestjs/common';
import { EventEnvelope } from '@thihanh/contracts';
import { SqlClient } from '@thihanh/event-store';

/**
 * A service's reaction to other services' events: applied inside the inbox transaction (exactly
 * once), thin — it hands over to the domain. Returns false for events it does not handle.
 */
export interface InboundEventHandler {
  handle(event: EventEnvelope, tx: SqlClient): Promise<boolean>;
}

export interface ConsumerDefinition {
  /** Appended to the service's consumer group (`task-assignment.consultations`); none = the group itself. */
  name?: string;
  topics: string[];
  /** A provider of the service's module. */
  handler: Type<InboundEventHandler>;
}
