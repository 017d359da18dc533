import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { EventEnvelope } from '@thihanh/contracts';
import { Database, decodePositions, EnvelopeProblem, GENESIS_HASH, listSeals, PostgresEventStore, SealHasher, verifyEnvelopes } from '@thihanh/event-store';

/** A seal of a service's global log; `members` (position, event hash, in sealing order) when it covers bundled events. */
export interface SealRecord {
  seq: number;
  prevHash: string;
  hash: string;
  members?: [number, string][];
}

/** One service's share of a bundle. */
export interface BundlePart {
  service: string;
  planId: string;
  period: { from: string | null; to: string | null };
  /** Whole streams from version 1 (a chain verifies from its start), up to `to`. */
  events: EventEnvelope[];
  /** Every seal in order (the chain of seals), with members for those covering the events. */
  seals: SealRecord[];
}

export const BUNDLE_FORMAT = 'thihanh-audit-bundle/1';

export interface BundleManifest {
  format: typeof BUNDLE_FORMAT;
  planId: string;
  period: { from: string | null; to: string | null };
  createdAt: string;
  files: Record<'events.jsonl' | 'seals.jsonl', { sha256: string; lines: number }>;
  /** Per service: what it contributed, and the seal hashes the bundle is anchored to (compare them with those published). */
  services: Record<string, {
    events: number;
    eventsInPeriod: number;
    streams: number;
    /** Each stream's last version and its hash: a stream cut short is named even where no seal covers it yet. */
    heads: Record<string, [number, string]>;
    seals: { seq: number; hash: string }[];
  }>;
}

/**
 * What a service's log holds about one plan: every stream whose first event names the plan (the plan,
 * its cases, its consultations, its rounds and reports), from version 1 up to the period's end, and
 * the seals of the log, with their members where they cover those events.
 */
export async function bundlePart(db: Database, store: PostgresEventStore, service: string, planId: string, period: { from?: string; to?: string }): Promise<BundlePart> {
  const { rows } = await db.query<{ stream_id: string }>(
    `SELECT stream_id FROM es_events WHERE stream_version = 1 AND data->>'planId' = $1 ORDER BY global_position`,
    [planId],
  );
  const to = period.to ? new Date(period.to).toISOString() : null;
  const events: EventEnvelope[] = [];
  for (const { stream_id } of rows) {
    for (const event of await store.readStream(stream_id)) if (!to || event.recordedAt < to) events.push({ ...event, source: service });
  }
  const positions = new Set(events.map((e) => e.globalPosition));
  const seals: SealRecord[] = [];
  for (const seal of await listSeals(db)) {
    const record: SealRecord = { seq: seal.seq, prevHash: seal.prevHash.toString('hex'), hash: seal.hash.toString('hex') };
    const sealed = decodePositions(seal.positions);
    if (sealed.some((p) => positions.has(p))) {
      // In the order the sealer hashed them: commit order.
      const { rows: members } = await db.query<{ global_position: string; hash: string }>(
        `SELECT global_position, encode(hash, 'hex') AS hash FROM es_events WHERE global_position = ANY ($1::bigint[])
          ORDER BY es_events.transaction_id, es_events.global_position`,
        [sealed],
      );
      record.members = members.map((m) => [Number(m.global_position), m.hash]);
    }
    seals.push(record);
  }
  return { service, planId, period: { from: period.from ?? null, to: period.to ?? null }, events, seals };
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const jsonl = (items: unknown[]) => items.map((item) => `${JSON.stringify(item)}\n`).join('');

/** Writes `events.jsonl`, `seals.jsonl` and `manifest.json` (with the files' SHA-256) into `dir`. */
export function writeBundle(dir: string, parts: BundlePart[], createdAt: string): BundleManifest {
  const planId = parts[0]?.planId ?? '';
  const events = parts.flatMap((p) => p.events.map((e) => ({ ...e, source: p.service })));
  const seals = parts.flatMap((p) => p.seals.map((s) => ({ service: p.service, ...s })));
  const [eventsText, sealsText] = [jsonl(events), jsonl(seals)];
  const inPeriod = (e: EventEnvelope, from: string | null) => !from || e.recordedAt >= new Date(from).toISOString();
  const manifest: BundleManifest = {
    format: BUNDLE_FORMAT,
    planId,
    period: parts[0]?.period ?? { from: null, to: null },
    createdAt,
    files: { 'events.jsonl': { sha256: sha256(eventsText), lines: events.length }, 'seals.jsonl': { sha256: sha256(sealsText), lines: seals.length } },
    services: Object.fromEntries(
      parts.map((p) => [
        p.service,
        {
          events: p.events.length,
          eventsInPeriod: p.events.filter((e) => inPeriod(e, p.period.from)).length,
          streams: new Set(p.events.map((e) => e.streamId)).size,
          heads: Object.fromEntries(p.events.map((e): [string, [number, string]] => [e.streamId, [e.streamVersion, e.hash ?? '']]).sort((a, b) => a[1][0] - b[1][0])),
          seals: p.seals.filter((s) => s.members).map((s) => ({ seq: s.seq, hash: s.hash })),
        },
      ]),
    ),
  };
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'events.jsonl'), eventsText);
  writeFileSync(path.join(dir, 'seals.jsonl'), sealsText);
  writeFileSync(path.join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

export interface BundleProblem {
  /** "manifest.json", "events.jsonl line 17", "seals.jsonl line 3". */
  where: string;
  message: string;
}

export interface BundleVerification {
  ok: boolean;
  events: number;
  streams: number;
  seals: number;
  /** Bundled events no seal covers yet: covered by their chains only. */
  unsealedEvents: number;
  problems: BundleProblem[];
}

/**
 * Checks a bundle offline, trusting nothing in it: the files against the manifest's hashes, every
 * stream's chain, every seal's hash recomputed from its members and linked to the one before, each
 * bundled event's hash where a seal lists its position, and the manifest's anchors against the seals.
 * Names where each break is.
 */
export function verifyBundle(dir: string): BundleVerification {
  const problems: BundleProblem[] = [];
  const read = (name: string) => {
    try {
      return readFileSync(path.join(dir, name), 'utf8');
    } catch {
      problems.push({ where: name, message: 'missing' });
      return null;
    }
  };
  const manifestText = read('manifest.json');
  const eventsText = read('events.jsonl') ?? '';
  const sealsText = read('seals.jsonl') ?? '';
  let manifest: BundleManifest | null = null;
  try {
    manifest = manifestText ? (JSON.parse(manifestText) as BundleManifest) : null;
  } catch {
    problems.push({ where: 'manifest.json', message: 'not JSON' });
  }
  if (manifest && manifest.format !== BUNDLE_FORMAT) problems.push({ where: 'manifest.json', message: `unknown format ${manifest.format}` });
  for (const [name, text] of [['events.jsonl', eventsText], ['seals.jsonl', sealsText]] as const) {
    const expected = manifest?.files?.[name]?.sha256;
    if (manifest && expected !== sha256(text)) problems.push({ where: name, message: `SHA-256 ${sha256(text)} is not the manifest's ${expected}` });
  }
  const parse = <T>(name: string, text: string) =>
    text.split('\n').flatMap((line, i) => {
      if (!line.trim()) return [];
      try {
        return [{ line: i + 1, value: JSON.parse(line) as T }];
      } catch {
        problems.push({ where: `${name} line ${i + 1}`, message: 'not JSON' });
        return [];
      }
    });
  const events = parse<EventEnvelope>('events.jsonl', eventsText);
  const seals = parse<SealRecord & { service: string }>('seals.jsonl', sealsText);
  const lineOf = new Map(events.map((e) => [`${e.value.source}/${e.value.eventId}`, e.line]));

  let unsealed = 0;
  const services = new Set([...events.map((e) => e.value.source ?? ''), ...seals.map((s) => s.value.service)]);
  for (const service of services) {
    const own = events.filter((e) => e.value.source === service).map((e) => e.value);
    const chains = verifyEnvelopes(own);
    for (const p of chains.problems as EnvelopeProblem[]) problems.push({ where: `events.jsonl line ${lineOf.get(`${service}/${p.eventId}`) ?? '?'}`, message: `${service}: ${p.message}` });
    // The seals: a chain from seq 1, each hash recomputed from its members.
    const ownSeals = seals.filter((s) => s.value.service === service).sort((a, b) => a.value.seq - b.value.seq);
    const sealed = new Map<number, string>();
    let prev = GENESIS_HASH.toString('hex');
    ownSeals.forEach(({ line, value: seal }, i) => {
      const where = `seals.jsonl line ${line}`;
      if (seal.seq !== i + 1) problems.push({ where, message: `${service}: seal ${i + 1} is missing (found ${seal.seq})` });
      if (seal.prevHash !== prev) problems.push({ where, message: `${service}: seal ${seal.seq} does not link to seal ${seal.seq - 1}` });
      if (seal.members) {
        const hasher = new SealHasher(Buffer.from(seal.prevHash, 'hex'));
        for (const [position, hash] of seal.members) {
          hasher.add(position, Buffer.from(hash, 'hex'));
          sealed.set(position, hash);
        }
        if (hasher.digest().toString('hex') !== seal.hash) problems.push({ where, message: `${service}: seal ${seal.seq} does not hash to its members` });
      }
      prev = seal.hash;
    });
    for (const e of own) {
      const hash = sealed.get(e.globalPosition);
      if (hash === undefined) unsealed += 1;
      else if (hash !== e.hash) problems.push({ where: `events.jsonl line ${lineOf.get(`${service}/${e.eventId}`)}`, message: `${service}: position ${e.globalPosition} is not the event its seal lists` });
    }
    const heads = manifest?.services?.[service]?.heads ?? {};
    const last = new Map<string, EventEnvelope>();
    for (const e of own) if ((last.get(e.streamId)?.streamVersion ?? 0) < e.streamVersion) last.set(e.streamId, e);
    for (const [streamId, [version, hash]] of Object.entries(heads)) {
      const head = last.get(streamId);
      if (!head) problems.push({ where: 'events.jsonl', message: `${service}: ${streamId} is missing (the manifest lists ${version} events)` });
      else if (head.streamVersion !== version || head.hash !== hash) {
        problems.push({ where: `events.jsonl line ${lineOf.get(`${service}/${head.eventId}`)}`, message: `${service}: ${streamId} ends at version ${head.streamVersion}, the manifest at ${version}` });
      }
    }
    const anchors = manifest?.services?.[service]?.seals ?? [];
    for (const anchor of anchors) {
      const seal = ownSeals.find((s) => s.value.seq === anchor.seq);
      if (!seal || seal.value.hash !== anchor.hash) problems.push({ where: 'manifest.json', message: `${service}: anchor seal ${anchor.seq} is not in seals.jsonl as listed` });
    }
  }
  return {
    ok: problems.length === 0,
    events: events.length,
    streams: new Set(events.map((e) => `${e.value.source}/${e.value.streamId}`)).size,
    seals: seals.length,
    unsealedEvents: unsealed,
    problems,
  };
}
