import { createHash } from 'node:crypto';

/** The hash every stream starts from. */
export const GENESIS_HASH = Buffer.alloc(32);

/**
 * The fields an event's digest covers, each as text: data and metadata exactly as written (the
 * columns are `json`, which keeps the text), recorded-at in epoch microseconds. Encoded as
 * `byteLength:value,` per field so no two field lists encode alike.
 */
export interface HashedFields {
  streamId: string;
  streamType: string;
  eventId: string;
  eventType: string;
  schemaVersion: string;
  recordedAtMicros: string;
  dataText: string;
  metadataText: string;
}

function field(out: string[], value: string): void {
  out.push(`${Buffer.byteLength(value, 'utf8')}:${value},`);
}

export function contentDigest(f: HashedFields): Buffer {
  const parts: string[] = [];
  field(parts, f.streamId);
  field(parts, f.streamType);
  field(parts, f.eventId);
  field(parts, f.eventType);
  field(parts, f.schemaVersion);
  field(parts, f.recordedAtMicros);
  field(parts, f.dataText);
  field(parts, f.metadataText);
  return createHash('sha256').update(parts.join(''), 'utf8').digest();
}

/** The stream chain link, as es_append computes it: sha256(prev || int8(version) || digest). */
export function chainHash(prevHash: Buffer, streamVersion: number | string, digest: Buffer): Buffer {
  const version = Buffer.alloc(8);
  version.writeBigInt64BE(BigInt(streamVersion));
  return createHash('sha256').update(prevHash).update(version).update(digest).digest();
}

/** A seal's hash: its predecessor's hash, then (position as 8 bytes, event hash) for each event in commit order. */
export class SealHasher {
  private readonly hash = createHash('sha256');
  private readonly position = Buffer.alloc(8);
  count = 0;

  constructor(prevSealHash: Buffer) {
    this.hash.update(prevSealHash);
  }

  add(globalPosition: number | string, eventHash: Buffer): void {
    this.position.writeBigInt64BE(BigInt(globalPosition));
    this.hash.update(this.position).update(eventHash);
    this.count += 1;
  }

  digest(): Buffer {
    return this.hash.digest();
  }
}

/** Sorted positions as ranges: [1,2,3,5,7,8] → "1-3,5,7-8". */
export function encodePositions(positions: number[]): string {
  const sorted = [...positions].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j += 1;
    out.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return out.join(',');
}

export function decodePositions(encoded: string): number[] {
  if (!encoded) return [];
  const out: number[] = [];
  for (const part of encoded.split(',')) {
    const [from, to] = part.split('-').map(Number);
    for (let p = from; p <= (to ?? from); p += 1) out.push(p);
  }
  return out;
}
