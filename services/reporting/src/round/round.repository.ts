import { AggregateRepository, PostgresEventStore } from '@thihanh/event-store';
import { ReportingRound } from './round.aggregate';
import { ROUND_STREAM_TYPE } from './round.events';

/** Reporting rounds by id, replayed from their stream. */
export const roundRepository = (store: PostgresEventStore) =>
  new AggregateRepository(store, { streamType: ROUND_STREAM_TYPE, create: (id) => new ReportingRound(id), notFoundCode: 'ROUND.NOT_FOUND' });
