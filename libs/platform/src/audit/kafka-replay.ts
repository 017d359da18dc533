import { EventEnvelope, TOPIC_NAMESPACE } from '@thihanh/contracts';
import { EVENT_STORE_MIGRATIONS, PgDatabase, VerificationReport, verifyEventLog } from '@thihanh/event-store';
import { fromMessage, IncomingMessage, MessageBus } from '@thihanh/messaging';
import { DataSource, MigrationInterface } from 'typeorm';

/** The services' event topics in a namespace: `thihanh.<service>.events.v1`. */
export const eventsTopicPattern = (namespace = TOPIC_NAMESPACE) => new RegExp(`^${namespace}\\.([a-z0-9-]+)\\.events\\.v1$`);

const at = (m: IncomingMessage) => ({ topic: m.topic, partition: m.partition, offset: m.offset });

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
  /**
   * Messages not copied, and where they are: not event envelopes, or events claiming a stream version
   * another event already holds (two databases behind one topic) — findings for the auditor.
   */
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
 * copy numbers events in the order it read them (each stream is one partition, so its order holds)
 * and gives them transaction id 1: the source's positions and ids mean nothing in another database —
 * and two databases behind one topic (a restore, a test) would collide on them. What the source said
 * (position, transaction id) and where the event was read (topic, partition, offset) stay in
 * `audit_origin`.
 */
export async function replayFromKafka(
  bus: MessageBus,
  targetUrl: string,
  options: { namespace?: string; services?: string[]; onProgress?: (done: number, total: number) => void } = {},
): Promise<KafkaReplayResult> {
  const started = process.hrtime.bigint();
  const EVENTS_TOPIC = eventsTopicPattern(options.namespace);
  const onProgress = options.onProgress;
  const topics = (await bus.listTopics()).filter((t) => EVENTS_TOPIC.test(t) && (!options.services || options.services.includes(EVENTS_TOPIC.exec(t)![1]))).sort();
  const services = topics.map((t) => EVENTS_TOPIC.exec(t)![1]);
  for (const service of services) {
    await migrateSchema(targetUrl, copySchema(service), EVENT_STORE_MIGRATIONS);
    const db = schemaDatabase(targetUrl, copySchema(service), 1);
    await db.query(
      `CREATE TABLE IF NOT EXISTS audit_origin (event_id uuid PRIMARY KEY, global_position bigint NOT NULL, transaction_id text NOT NULL,
         topic text NOT NULL, partition integer NOT NULL, "offset" bigint NOT NULL)`,
    );
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
            skipped.push({ ...at(message), reason: (error as Error).message });
          }
        }
        if (events.length) await target.transaction(async (tx) => {
          const { rows: inserted } = await tx.query<{ event_id: string }>(
            `INSERT INTO ${schema}.es_events (transaction_id, stream_id, stream_type, stream_version, event_id, event_type, schema_version,
               data, metadata, recorded_at, prev_hash, hash)
             SELECT '1'::xid8, s, st, v, e, t, sv, d::json, m::json, r, decode(ph, 'hex'), decode(h, 'hex')
               FROM unnest($1::text[], $2::text[], $3::bigint[], $4::uuid[], $5::text[], $6::int[], $7::text[], $8::text[], $9::timestamptz[], $10::text[], $11::text[])
                 WITH ORDINALITY AS x(s, st, v, e, t, sv, d, m, r, ph, h, n)
             ORDER BY n
             ON CONFLICT DO NOTHING
             RETURNING event_id::text`,
            [
              events.map((x) => x.envelope.streamId), events.map((x) => x.envelope.streamType),
              events.map((x) => x.envelope.streamVersion), events.map((x) => x.envelope.eventId), events.map((x) => x.envelope.type),
              events.map((x) => x.envelope.schemaVersion), events.map((x) => JSON.stringify(x.envelope.data)), events.map((x) => JSON.stringify(x.envelope.metadata)),
              events.map((x) => x.envelope.recordedAt), events.map((x) => x.envelope.prevHash ?? ''), events.map((x) => x.envelope.hash ?? ''),
            ],
          );
          const copied = new Set(inserted.map((r) => r.event_id));
          const { rows: present } = await tx.query<{ event_id: string }>(`SELECT event_id::text FROM ${schema}.es_events WHERE event_id = ANY ($1::uuid[])`, [
            events.filter((x) => !copied.has(x.envelope.eventId)).map((x) => x.envelope.eventId),
          ]);
          const already = new Set(present.map((r) => r.event_id));
          for (const { message, envelope } of events) {
            if (copied.has(envelope.eventId) || already.has(envelope.eventId)) continue;
            skipped.push({ ...at(message), reason: `${envelope.streamId} v${envelope.streamVersion} is already another event's (${envelope.eventId})` });
          }
          await tx.query(
            `INSERT INTO ${schema}.audit_origin (event_id, global_position, transaction_id, topic, partition, "offset")
             SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::text[], $4::text[], $5::int[], $6::bigint[]) ON CONFLICT DO NOTHING`,
            [events.map((x) => x.envelope.eventId), events.map((x) => x.envelope.globalPosition), events.map((x) => x.envelope.transactionId), events.map((x) => x.message.topic),
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
