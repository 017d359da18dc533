import { ProvincialReportIssuedV1, ReportingReminderSentV1, ReportingRoundClosedV1, ReportingRoundOpenedV1 } from '@thihanh/contracts';
import { DomainEvent } from '@thihanh/domain';

export type RoundEvent =
  | DomainEvent<'ReportingRoundOpened', ReportingRoundOpenedV1>
  | DomainEvent<'ReportingReminderSent', ReportingReminderSentV1>
  | DomainEvent<'ReportingRoundClosed', ReportingRoundClosedV1>
  | DomainEvent<'ProvincialReportIssued', ProvincialReportIssuedV1>;

export const ROUND_STREAM_TYPE = 'round';
