import { EventMetadata } from '@thihanh/contracts';
import { DomainEvent, EventSourcedAggregate, NotFoundError } from '@thihanh/domain';
import { SqlClient } from './database';
import { AppendResult, PostgresEventStore } from './event-store';

export interface AggregateRepositoryOptions<A> {
  /** Stored with each stream and prefixed to its id: `plan-<id>`. */
  streamType: string;
  create: (id: string) => A;
  /** Code of the not-found error, e.g. `PLAN.NOT_FOUND`. */
  notFoundCode: string;
}

/** Loads an aggregate by replaying its stream; saves its pending events with the expected version. */
export class AggregateRepository<A extends EventSourcedAggregate<DomainEvent>> {
  constructor(
    private readonly store: PostgresEventStore,
    private readonly options: AggregateRepositoryOptions<A>,
  ) {}

  streamId(id: string): string {
    return `${this.options.streamType}-${id}`;
  }

  async find(id: string, tx?: SqlClient): Promise<A | null> {
    return (await this.findWithHistory(id, tx))?.aggregate ?? null;
  }

  /** The aggregate and the stored events it was replayed from, read once — for views that show both. */
  async findWithHistory(id: string, tx?: SqlClient) {
    const events = await this.store.readStream(this.streamId(id), { tx });
    if (events.length === 0) return null;
    const aggregate = this.options.create(id);
    aggregate.rehydrate(
      events.map((e) => ({ type: e.type, data: e.data })),
      events[events.length - 1].streamVersion,
    );
    return { aggregate, events };
  }

  async load(id: string, tx?: SqlClient): Promise<A> {
    const aggregate = await this.find(id, tx);
    if (!aggregate) {
      throw new NotFoundError(this.options.notFoundCode, `${this.options.streamType} ${id} does not exist`, { id });
    }
    return aggregate;
  }

  /** Appends the pending events; the expected version is the one the aggregate was loaded at. */
  async save(aggregate: A, metadata: EventMetadata, tx?: SqlClient): Promise<AppendResult | null> {
    const events = aggregate.pendingEvents;
    if (events.length === 0) return null;
    const result = await this.store.append(
      {
        streamId: this.streamId(aggregate.id),
        streamType: this.options.streamType,
        expectedVersion: aggregate.version,
        events: events.map((e) => ({ type: e.type, data: e.data })),
        metadata,
      },
      tx,
    );
    aggregate.markSaved(result.nextVersion);
    return result;
  }
}
