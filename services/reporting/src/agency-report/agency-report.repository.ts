import { AggregateRepository, PostgresEventStore } from '@thihanh/event-store';
import { AgencyReport } from './agency-report.aggregate';
import { AGENCY_REPORT_STREAM_TYPE } from './agency-report.events';

/** Agencies' reports by id, replayed from their stream. */
export const agencyReportRepository = (store: PostgresEventStore) =>
  new AggregateRepository(store, { streamType: AGENCY_REPORT_STREAM_TYPE, create: (id) => new AgencyReport(id), notFoundCode: 'REPORT.NOT_FOUND' });
