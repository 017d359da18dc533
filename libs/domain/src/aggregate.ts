/**
 * A domain event as an aggregate raises it: a past-tense type and a JSON-safe payload.
 * The store adds ids, versions, metadata and hashes around it.
 */
export interface DomainEvent<TType extends string = string, TData = unknown> {
  type: TType;
  data: TData;
}

/**
 * Base of event-sourced aggregates: decisions call `raise`, state changes live in `apply`
 * (pure, also used to rehydrate from history). Handlers load, call one method, save.
 */
export abstract class EventSourcedAggregate<TEvent extends DomainEvent = DomainEvent> {
  private persistedVersion = 0;
  private pending: TEvent[] = [];

  constructor(readonly id: string) {}

  /** State changes, one case per event type; must not throw for stored events. */
  protected abstract apply(event: TEvent): void;

  /** Version of the stream as loaded (the expected version for the next append). */
  get version(): number {
    return this.persistedVersion;
  }

  /** Version including events raised but not yet saved. */
  get currentVersion(): number {
    return this.persistedVersion + this.pending.length;
  }

  get pendingEvents(): readonly TEvent[] {
    return this.pending;
  }

  protected raise(event: TEvent): void {
    this.apply(event);
    this.pending.push(event);
  }

  /** Replays stored history; `version` is the stream version of the last event given. */
  rehydrate(history: Iterable<TEvent>, version?: number): this {
    let count = 0;
    for (const event of history) {
      this.apply(event);
      count += 1;
    }
    this.persistedVersion = version ?? this.persistedVersion + count;
    return this;
  }

  /** Called by the repository once the pending events are stored. */
  markSaved(newVersion: number): void {
    this.persistedVersion = newVersion;
    this.pending = [];
  }
}
