import { EventEnvelope } from '@thihanh/contracts';
import { EVENT_STORE_MIGRATIONS, PgDatabase, VerificationReport, verifyEventLog } from '@thihanh/event-store';
import { fromMessage, IncomingMessage, MessageBus } from '@thihanh/messaging';
import { DataSource, MigrationInterface } from 'typeorm';

/** The services' event topics: `thihanh.<service>.events.v1`. */
export const EVENTS_TOPIC = /^thihanh\.([a-z0-9-]+)\.events\.v1$/;

/** A service's schema in an auditor's copy: `task-assignment` → `task_assignment`. */
export const copySchema = (service: string) => service.replace(/-/g, '_');

/** Creates `schema` in the database and runs the migrations in it (tables land there through search_path). */
export async function migrateSchema(url: string, schema: string, migrations: (new () => MigrationInterface)[]): Promise<void> {
  const admin = PgDatabase.fromUrl(url, { max: 1 });
  try {
    await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  } finally {
    await admin.close();
  }
  const dataSource = new DataSource({
    type: 'postgres', url, schema, migrations, migrationsTableName: 'typeorm_migrations', migrationsTransactionMode: 'each', logging: ['error'],
    extra: { max: 1, options: `-c search_path=${schema}` },
  });
  await dataSource.initialize();
  try {
    await dataSource.runMigrations();
  } finally {
    await dataSource.destroy();
  }
}

/** A database connection whose unqualified tables are a service's schema in the copy. */
export const schemaDatabase = (url: string, schema: string, max = 4) => PgDatabase.fromUrl(url, { max, options: `-c search_path=${schema}` });

export interface KafkaReplayResult {
  topics: string[];
  events: number;
  /** Messages that are not event envelopes (where they are): reported, not copied. */
  skipped: { topic: string; partition: number; offset: string; reason: string }[];
  seconds: number;
  eventsPerSecond: number;
  /** Per service: its log in the copy, checked chain by chain (a copy has no seals). */
  verification: Record<string, VerificationReport>;
}

/**
 * An auditor's own copy of every service's log, from Kafka alone: each `thihanh.<service>.events.v1`
 * topic is read from its oldest event to its end into `<service>.es_events` of the target database
 * (the table as the service keeps it: positions, versions, data, metadata and hashes as written), then
 * each copy is verified by its streams' hash chains. Running it again adds only what is new. The
 * copy's transaction ids are all 1 — the source's ids mean nothing in another cluster, and a copy is
 * read in position order, which keeps every stream's order; the original id and where the event was
 * read from (topic, partition, offset) stay in `audit_origin`.
 */
export async function replayFromKafka(
  bus: MessageBus,
  targetUrl: string,
  options: { services?: string[]; onProgress?: (done: number, total: number) => void } = {},
): Promise<KafkaReplayResult> {
  const started = process.hrtime.bigint();
  const onProgress = options.onProgress;
  const topics = (await bus.listTopics()).filter((t) => EVENTS_TOPIC.test(t) && (!options.services || options.services.includes(EVENTS_TOPIC.exec(t)![1]))).sort();
  const services = topics.map((t) => EVENTS_TOPIC.exec(t)![1]);
  for (const service of services) {
    await migrateSchema(targetUrl, copySchema(service), EVENT_STORE_MIGRATIONS);
    const db = schemaDatabase(targetUrl, copySchema(service), 1);
    await db.query(`CREATE TABLE IF NOT EXISTS audit_origin (event_id uuid PRIMARY KEY, transaction_id text NOT NULL, topic text NOT NULL, partition integer NOT NULL, "offset" bigint NOT NULL)`);
    await db.close();
  }
  const target = PgDatabase.fromUrl(targetUrl, { max: 2 });
  let total = 0;
  let done = 0;
  const skipped: KafkaReplayResult['skipped'] = [];
  try {
    await bus.readToEnd(
      topics,
      async (batch) => {
        const schema = copySchema(EVENTS_TOPIC.exec(batch[0].topic)![1]);
        const events: { message: IncomingMessage; envelope: EventEnvelope }[] = [];
        for (const message of batch) {
          try {
            events.push({ message, envelope: fromMessage(message) });
          } catch (error) {
            skipped.push({ topic: message.topic, partition: message.partition, offset: message.offset, reason: (error as Error).message });
          }
        }
        if (events.length) await target.transaction(async (tx) => {
          await tx.query(
            `INSERT INTO ${schema}.es_events (global_position, transaction_id, stream_id, stream_type, stream_version, event_id, event_type, schema_version,
               data, metadata, recorded_at, prev_hash, hash)
             OVERRIDING SYSTEM VALUE
             SELECT p, '1'::xid8, s, st, v, e, t, sv, d::json, m::json, r, decode(ph, 'hex'), decode(h, 'hex')
               FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::uuid[], $6::text[], $7::int[], $8::text[], $9::text[], $10::timestamptz[], $11::text[], $12::text[])
                 AS x(p, s, st, v, e, t, sv, d, m, r, ph, h)
             ON CONFLICT DO NOTHING`,
            [
              events.map((x) => x.envelope.globalPosition), events.map((x) => x.envelope.streamId), events.map((x) => x.envelope.streamType),
              events.map((x) => x.envelope.streamVersion), events.map((x) => x.envelope.eventId), events.map((x) => x.envelope.type),
              events.map((x) => x.envelope.schemaVersion), events.map((x) => JSON.stringify(x.envelope.data)), events.map((x) => JSON.stringify(x.envelope.metadata)),
              events.map((x) => x.envelope.recordedAt), events.map((x) => x.envelope.prevHash ?? ''), events.map((x) => x.envelope.hash ?? ''),
            ],
          );
          await tx.query(
            `INSERT INTO ${schema}.audit_origin (event_id, transaction_id, topic, partition, "offset")
             SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::int[], $5::bigint[]) ON CONFLICT DO NOTHING`,
            [events.map((x) => x.envelope.eventId), events.map((x) => x.envelope.transactionId), events.map((x) => x.message.topic),
              events.map((x) => x.message.partition), events.map((x) => x.message.offset)],
          );
        });
        done += batch.length;
        onProgress?.(done, total);
      },
      (messages) => {
        total = messages;
        onProgress?.(0, total);
      },
    );
  } finally {
    await target.close();
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const verification: Record<string, VerificationReport> = {};
  for (const service of services) {
    const db = schemaDatabase(targetUrl, copySchema(service), 2);
    try {
      verification[service] = await verifyEventLog(db);
    } finally {
      await db.close();
    }
  }
  return { topics, events: done - skipped.length, skipped, seconds, eventsPerSecond: seconds > 0 ? Math.round(done / seconds) : done, verification };
}
