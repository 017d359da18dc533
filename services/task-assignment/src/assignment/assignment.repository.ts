import { AggregateRepository, PostgresEventStore } from '@thihanh/event-store';
import { Assignment } from './assignment.aggregate';
import { ASSIGNMENT_STREAM_TYPE } from './assignment.events';

/** Assignments (cases) by id, replayed from their stream and saved with the version they were loaded at. */
export const assignmentRepository = (store: PostgresEventStore) =>
  new AggregateRepository(store, { streamType: ASSIGNMENT_STREAM_TYPE, create: (id) => new Assignment(id), notFoundCode: 'ASSIGNMENT.NOT_FOUND' });
