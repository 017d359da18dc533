/*
 * A consumer process for the kill test: applies events from a topic into `effects`, slowly enough
 * to be killed mid-batch. Run with: node -r @swc-node/register <this file>
 * env: DATABASE_URL, KAFKA_BROKERS, TOPIC, GROUP.
 */
import { PgDatabase } from '@thihanh/event-store';
import { EventConsumer } from './event-consumer';
import { KafkaMessageBus } from './kafka-message-bus';

async function main(): Promise<void> {
  const db = PgDatabase.fromUrl(process.env['DATABASE_URL']!, { max: 4 });
  const bus = new KafkaMessageBus({ brokers: process.env['KAFKA_BROKERS']!.split(','), clientId: 'kill-test', sessionTimeoutMs: 6000 });
  const consumer = new EventConsumer(bus, db, {
    groupId: process.env['GROUP']!,
    topics: [process.env['TOPIC']!],
    handle: async (event, tx) => {
      await tx.query(`INSERT INTO effects (event_id, stream_id, version) VALUES ($1, $2, $3)`, [event.eventId, event.streamId, event.streamVersion]);
      await new Promise((resolve) => setTimeout(resolve, 2));
    },
  });
  await consumer.start();
  process.stdout.write('started\n');
}

void main();
