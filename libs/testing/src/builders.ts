import { EventEnvelope, EventMetadata } from '@thihanh/contracts';
import { DomainError, DomainEvent, EventSourcedAggregate, uuidv7 } from '@thihanh/domain';

export function aMetadata(overrides: Partial<EventMetadata> = {}): EventMetadata {
  return {
    actor: { agencyId: 'son-la.cong-an-tinh', clientId: 'test-client', person: 'Nguyễn Văn A' },
    correlationId: uuidv7(),
    causationId: uuidv7(),
    ...overrides,
  };
}

let position = 0;

export function anEnvelope<T>(overrides: Partial<EventEnvelope<T>> & { data?: T } = {}): EventEnvelope<T> {
  position += 1;
  return {
    eventId: uuidv7(),
    type: 'SomethingHappened',
    schemaVersion: 1,
    streamId: `thing-${position}`,
    streamType: 'thing',
    streamVersion: 1,
    globalPosition: position,
    transactionId: String(1000 + position),
    recordedAt: '2026-05-01T00:00:00.000Z',
    data: {} as T,
    metadata: aMetadata(),
    ...overrides,
  };
}

/**
 * given(history) / when(decision) / then(events) for aggregates, no Nest and no database:
 *   given(new Plan('p1'), [planDrafted]).when((p) => p.issue(...)).then([{ type: 'PlanIssued', data }]);
 */
type EventOf<A> = A extends EventSourcedAggregate<infer E> ? E : never;

export function given<A extends EventSourcedAggregate<DomainEvent>>(aggregate: A, history: EventOf<A>[] = []) {
  aggregate.rehydrate(history);
  return {
    when(decide: (aggregate: A) => void) {
      let error: unknown;
      try {
        decide(aggregate);
      } catch (e) {
        error = e;
      }
      return {
        then(expected: EventOf<A>[]): A {
          if (error) throw error;
          expect(aggregate.pendingEvents).toEqual(expected);
          return aggregate;
        },
        thenFails(code: string): DomainError {
          expect(error).toBeInstanceOf(DomainError);
          expect((error as DomainError).code).toBe(code);
          expect(aggregate.pendingEvents).toEqual([]);
          return error as DomainError;
        },
      };
    },
  };
}
