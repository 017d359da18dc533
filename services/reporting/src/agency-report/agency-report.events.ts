import { AgencyReportAcceptedV1, AgencyReportDraftedV1, AgencyReportReturnedV1, AgencyReportSubmittedV1 } from '@thihanh/contracts';
import { derivedId, DomainEvent } from '@thihanh/domain';

export type AgencyReportEvent =
  | DomainEvent<'AgencyReportDrafted', AgencyReportDraftedV1>
  | DomainEvent<'AgencyReportSubmitted', AgencyReportSubmittedV1>
  | DomainEvent<'AgencyReportAccepted', AgencyReportAcceptedV1>
  | DomainEvent<'AgencyReportReturned', AgencyReportReturnedV1>;

export const AGENCY_REPORT_STREAM_TYPE = 'agency-report';

/** One report per round and agency: its id follows from them. */
export const agencyReportIdOf = (roundId: string, agencyId: string) => derivedId('agency-report', roundId, agencyId);
