import { createHash, randomBytes } from 'node:crypto';

/** Ids are inputs too: handlers get an id source, tests a predictable one. */
export interface IdSource {
  next(): string;
}

export const ID_SOURCE = Symbol('ID_SOURCE');

/**
 * UUID version 7 (RFC 9562): time-ordered, so new ids land at the right edge of a B-tree
 * index instead of all over it, which keeps inserts into large event tables cheap.
 */
export function uuidv7(now: number = Date.now()): string {
  const bytes = randomBytes(16);
  const ms = BigInt(now);
  bytes[0] = Number((ms >> 40n) & 0xffn);
  bytes[1] = Number((ms >> 32n) & 0xffn);
  bytes[2] = Number((ms >> 24n) & 0xffn);
  bytes[3] = Number((ms >> 16n) & 0xffn);
  bytes[4] = Number((ms >> 8n) & 0xffn);
  bytes[5] = Number(ms & 0xffn);
  bytes[6] = (bytes[6] & 0x0f) | 0x70;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const uuidV7Source: IdSource = { next: () => uuidv7() };

/** Predictable ids for tests: `prefix-1`, `prefix-2`, … as valid UUIDs. */
export class SequentialIdSource implements IdSource {
  private n = 0;

  next(): string {
    this.n += 1;
    return `00000000-0000-7000-8000-${this.n.toString(16).padStart(12, '0')}`;
  }
}

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A UUID derived from what identifies a thing (RFC 9562 version 8 layout over SHA-256 of the parts
 * joined by "|"): the same parts always give the same id, so a redelivered or replayed event that
 * creates it finds the stream already there instead of creating a second one.
 */
export function derivedId(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('|')).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
