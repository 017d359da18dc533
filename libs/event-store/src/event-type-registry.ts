import { EventEnvelope } from '@thihanh/contracts';

export type Upcaster = (data: any, envelope: EventEnvelope) => unknown; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface EventTypeDefinition<TInstance = unknown> {
  /** Stable type string as stored, e.g. `AssignmentAcknowledged`. Never derived from a class name. */
  type: string;
  /** Current schema version; stored events of older versions are upcast to it on read. */
  schemaVersion: number;
  /** `upcasters[n]` turns version n data into version n+1 data. */
  upcasters?: Record<number, Upcaster>;
  /** Builds the in-memory object (e.g. a @nestjs/cqrs event class) from an envelope. */
  create?: (envelope: EventEnvelope) => TInstance;
}

/**
 * The explicit map from stored type names to their schema versions, upcasters and classes.
 * Bundlers rename classes, so nothing read back is ever matched by `constructor.name`.
 */
export class EventTypeRegistry {
  private readonly types = new Map<string, EventTypeDefinition>();

  register(...definitions: EventTypeDefinition[]): this {
    for (const definition of definitions) {
      const existing = this.types.get(definition.type);
      if (existing && existing !== definition) throw new Error(`Event type ${definition.type} is registered twice`);
      for (let v = 1; v < definition.schemaVersion; v += 1) {
        if (definition.upcasters && !definition.upcasters[v]) {
          throw new Error(`Event type ${definition.type}: no upcaster from version ${v}`);
        }
      }
      this.types.set(definition.type, definition);
    }
    return this;
  }

  has(type: string): boolean {
    return this.types.has(type);
  }

  registeredTypes(): string[] {
    return [...this.types.keys()].sort();
  }

  currentVersion(type: string): number {
    return this.types.get(type)?.schemaVersion ?? 1;
  }

  /** Raises an envelope's data to the current schema version. Unknown types pass unchanged. */
  upcast<T>(envelope: EventEnvelope<T>): EventEnvelope<T> {
    const definition = this.types.get(envelope.type);
    if (!definition || envelope.schemaVersion >= definition.schemaVersion) return envelope;
    let data: unknown = envelope.data;
    for (let v = envelope.schemaVersion; v < definition.schemaVersion; v += 1) {
      const upcaster = definition.upcasters?.[v];
      if (!upcaster) throw new Error(`Event type ${envelope.type}: no upcaster from version ${v}`);
      data = upcaster(data, envelope);
    }
    return { ...envelope, data: data as T, schemaVersion: definition.schemaVersion };
  }

  /** The in-memory object for an envelope, through the registered factory. */
  create<T = unknown>(envelope: EventEnvelope): T {
    const definition = this.types.get(envelope.type);
    if (!definition?.create) throw new Error(`Event type ${envelope.type} has no registered factory`);
    return definition.create(this.upcast(envelope)) as T;
  }
}
