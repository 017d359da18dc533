import { AggregateRepository, PostgresEventStore } from '@thihanh/event-store';
import { Consultation } from './consultation.aggregate';
import { CONSULTATION_STREAM_TYPE } from './consultation.events';

/** Consultations by id, replayed from their stream and saved with the version they were loaded at. */
export const consultationRepository = (store: PostgresEventStore) =>
  new AggregateRepository(store, { streamType: CONSULTATION_STREAM_TYPE, create: (id) => new Consultation(id), notFoundCode: 'CONSULTATION.NOT_FOUND' });
