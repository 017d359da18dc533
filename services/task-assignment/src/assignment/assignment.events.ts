import {
  AssignmentAcceptedV1,
  AssignmentAcknowledgedV1,
  AssignmentBlockedV1,
  AssignmentCancelledV1,
  AssignmentChangedV1,
  AssignmentDeliverableSubmittedV1,
  AssignmentDueDateSetV1,
  AssignmentDueSoonV1,
  AssignmentEscalatedV1,
  AssignmentExtensionGrantedV1,
  AssignmentExtensionRefusedV1,
  AssignmentExtensionRequestedV1,
  AssignmentGateOpenedV1,
  AssignmentOpenedV1,
  AssignmentOverdueV1,
  AssignmentProgressReportedV1,
  AssignmentReassignedV1,
  AssignmentReturnedV1,
  AssignmentUnblockedV1,
} from '@thihanh/contracts';
import { DomainEvent } from '@thihanh/domain';

export type AssignmentEvent =
  | DomainEvent<'AssignmentOpened', AssignmentOpenedV1>
  | DomainEvent<'AssignmentAcknowledged', AssignmentAcknowledgedV1>
  | DomainEvent<'AssignmentProgressReported', AssignmentProgressReportedV1>
  | DomainEvent<'AssignmentDeliverableSubmitted', AssignmentDeliverableSubmittedV1>
  | DomainEvent<'AssignmentExtensionRequested', AssignmentExtensionRequestedV1>
  | DomainEvent<'AssignmentExtensionGranted', AssignmentExtensionGrantedV1>
  | DomainEvent<'AssignmentExtensionRefused', AssignmentExtensionRefusedV1>
  | DomainEvent<'AssignmentAccepted', AssignmentAcceptedV1>
  | DomainEvent<'AssignmentReturned', AssignmentReturnedV1>
  | DomainEvent<'AssignmentReassigned', AssignmentReassignedV1>
  | DomainEvent<'AssignmentBlocked', AssignmentBlockedV1>
  | DomainEvent<'AssignmentUnblocked', AssignmentUnblockedV1>
  | DomainEvent<'AssignmentDueDateSet', AssignmentDueDateSetV1>
  | DomainEvent<'AssignmentGateOpened', AssignmentGateOpenedV1>
  | DomainEvent<'AssignmentCancelled', AssignmentCancelledV1>
  | DomainEvent<'AssignmentChanged', AssignmentChangedV1>
  | DomainEvent<'AssignmentDueSoon', AssignmentDueSoonV1>
  | DomainEvent<'AssignmentOverdue', AssignmentOverdueV1>
  | DomainEvent<'AssignmentEscalated', AssignmentEscalatedV1>;

export const ASSIGNMENT_STREAM_TYPE = 'assignment';

export const assignmentStreamId = (assignmentId: string) => `${ASSIGNMENT_STREAM_TYPE}-${assignmentId}`;

// A Record, so that an event type added to the union without a schema version fails to compile.
const SCHEMA_VERSIONS: Record<AssignmentEvent['type'], number> = {
  AssignmentOpened: 1,
  AssignmentAcknowledged: 1,
  AssignmentProgressReported: 1,
  AssignmentDeliverableSubmitted: 1,
  AssignmentExtensionRequested: 1,
  AssignmentExtensionGranted: 1,
  AssignmentExtensionRefused: 1,
  AssignmentAccepted: 1,
  AssignmentReturned: 1,
  AssignmentReassigned: 1,
  AssignmentBlocked: 1,
  AssignmentUnblocked: 1,
  AssignmentDueDateSet: 1,
  AssignmentGateOpened: 1,
  AssignmentCancelled: 1,
  AssignmentChanged: 1,
  AssignmentDueSoon: 1,
  AssignmentOverdue: 1,
  AssignmentEscalated: 1,
};

/** Stored type names and their schema versions; upcasters go here when a payload evolves. */
export const ASSIGNMENT_EVENT_DEFINITIONS: { type: AssignmentEvent['type']; schemaVersion: number }[] = Object.entries(SCHEMA_VERSIONS).map(
  ([type, schemaVersion]) => ({ type: type as AssignmentEvent['type'], schemaVersion }),
);
