import { DomainEvent, EventSourcedAggregate } from '@thihanh/domain';

/** An aggregate type an auditor can ask the state of: how to make one, and what of it is not state. */
export interface AuditedAggregate {
  /** The stream type, as stream ids start: `plan`, `assignment`, `consultation`, `round`. */
  streamType: string;
  create: (id: string) => EventSourcedAggregate<DomainEvent>;
  /** Fields that are caches or bookkeeping, not state (e.g. a parsed document kept for speed). */
  omit?: readonly string[];
}

/** The base class's bookkeeping, never state. */
const BOOKKEEPING = new Set(['pending', 'persistedVersion']);

function plain(value: unknown): unknown {
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), plain(v)]));
  if (value instanceof Set) return [...value].map(plain).sort();
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

/** The aggregate's state as plain JSON: its fields, Maps as objects, Sets as sorted arrays. */
export function stateOf(aggregate: EventSourcedAggregate<DomainEvent>, omit: readonly string[] = []): Record<string, unknown> {
  const skipped = new Set([...BOOKKEEPING, ...omit]);
  const state: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(aggregate)) {
    if (skipped.has(key) || typeof value === 'function') continue;
    state[key] = plain(value);
  }
  return state;
}

export interface StateChange {
  /** "status", "comments.k1.decision", "coordinatorAgencyIds". */
  path: string;
  before: unknown;
  after: unknown;
}

/** What differs between two states, leaf by leaf (arrays compared whole). */
export function diffStates(before: unknown, after: unknown, path = ''): StateChange[] {
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => diffStates(before[key], after[key], path ? `${path}.${key}` : key));
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path, before: before ?? null, after: after ?? null }];
}
