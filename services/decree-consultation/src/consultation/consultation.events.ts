import {
  ConsultationCancelledV1,
  ConsultationClosedV1,
  ConsultationCommentDecidedV1,
  ConsultationCommentEditedV1,
  ConsultationCommentSubmittedV1,
  ConsultationCommentWithdrawnV1,
  ConsultationDeadlinePassedV1,
  ConsultationDeadlineSetV1,
  ConsultationDraftUploadedV1,
  ConsultationMinistryRecordedV1,
  ConsultationOpenedV1,
  ConsultationPartiesChangedV1,
  ConsultationReminderSentV1,
  ConsultationResponseDraftedV1,
  ConsultationResponseSubmittedV1,
} from '@thihanh/contracts';
import { DomainEvent } from '@thihanh/domain';

export type ConsultationEvent =
  | DomainEvent<'ConsultationOpened', ConsultationOpenedV1>
  | DomainEvent<'ConsultationDeadlineSet', ConsultationDeadlineSetV1>
  | DomainEvent<'ConsultationMinistryRecorded', ConsultationMinistryRecordedV1>
  | DomainEvent<'ConsultationDraftUploaded', ConsultationDraftUploadedV1>
  | DomainEvent<'ConsultationCommentSubmitted', ConsultationCommentSubmittedV1>
  | DomainEvent<'ConsultationCommentEdited', ConsultationCommentEditedV1>
  | DomainEvent<'ConsultationCommentWithdrawn', ConsultationCommentWithdrawnV1>
  | DomainEvent<'ConsultationCommentDecided', ConsultationCommentDecidedV1>
  | DomainEvent<'ConsultationResponseDrafted', ConsultationResponseDraftedV1>
  | DomainEvent<'ConsultationResponseSubmitted', ConsultationResponseSubmittedV1>
  | DomainEvent<'ConsultationReminderSent', ConsultationReminderSentV1>
  | DomainEvent<'ConsultationDeadlinePassed', ConsultationDeadlinePassedV1>
  | DomainEvent<'ConsultationPartiesChanged', ConsultationPartiesChangedV1>
  | DomainEvent<'ConsultationClosed', ConsultationClosedV1>
  | DomainEvent<'ConsultationCancelled', ConsultationCancelledV1>;

export const CONSULTATION_STREAM_TYPE = 'consultation';


// A Record, so that an event type added to the union without a schema version fails to compile.
const SCHEMA_VERSIONS: Record<ConsultationEvent['type'], number> = {
  ConsultationOpened: 1,
  ConsultationDeadlineSet: 1,
  ConsultationMinistryRecorded: 1,
  ConsultationDraftUploaded: 1,
  ConsultationCommentSubmitted: 1,
  ConsultationCommentEdited: 1,
  ConsultationCommentWithdrawn: 1,
  ConsultationCommentDecided: 1,
  ConsultationResponseDrafted: 1,
  ConsultationResponseSubmitted: 1,
  ConsultationReminderSent: 1,
  ConsultationDeadlinePassed: 1,
  ConsultationPartiesChanged: 1,
  ConsultationClosed: 1,
  ConsultationCancelled: 1,
};

/** Stored type names and their schema versions; upcasters go here when a payload evolves. */
export const CONSULTATION_EVENT_DEFINITIONS = Object.entries(SCHEMA_VERSIONS).map(([type, schemaVersion]) => ({
  type: type as ConsultationEvent['type'],
  schemaVersion,
}));
