import { PgDatabase, verifyEventLog } from '@thihanh/event-store';
import { KafkaMessageBus } from '@thihanh/messaging';
import { replayFromKafka, schemaDatabase } from '@thihanh/platform';
import { CliCommand, UsageError } from './cli.command';

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  if (at < 0) return undefined;
  const value = args[at + 1];
  if (!value || value.startsWith('--')) throw new UsageError(`${name} needs a value`);
  return value;
}

/** A progress bar on a terminal (stderr), nothing otherwise. */
function progress(started: number) {
  if (!process.stderr.isTTY) return undefined;
  return (done: number, total: number) => {
    const width = 30;
    const filled = total ? Math.round((width * done) / total) : width;
    const rate = Math.round(done / Math.max((Date.now() - started) / 1000, 0.001));
    process.stderr.write(`\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total} events, ${rate} events/s`);
  };
}

/** Auditors' offline tools: their own copy of every log from Kafka, and verification of a log. */
export const auditCommand: CliCommand = {
  name: 'audit',
  usage:
    'audit replay --from-kafka BROKERS --to DATABASE_URL [--services a,b]\n' +
    '  copies every service\'s events from Kafka (thihanh.<service>.events.v1, oldest first) into the database,\n' +
    '  one schema per service, verifies each stream\'s hash chain, and prints events/s (exit 1 if a chain is broken\n' +
    '  or a message is not an event)\n' +
    'audit verify-log --database DATABASE_URL [--schema NAME]\n' +
    '  checks a service\'s log (every hash chain and seal) and names the first bad position (exit 1)',

  async run(args) {
    const [subcommand, ...rest] = args;
    if (subcommand === 'replay') {
      const brokers = option(rest, '--from-kafka');
      const url = option(rest, '--to');
      if (!brokers || !url) throw new UsageError('audit replay needs --from-kafka BROKERS and --to DATABASE_URL');
      const bus = new KafkaMessageBus({ brokers: brokers.split(',').map((b) => b.trim()), clientId: 'thihanh-audit' });
      try {
        const services = option(rest, '--services')?.split(',').map((s) => s.trim()).filter(Boolean);
        const result = await replayFromKafka(bus, url, { services, onProgress: progress(Date.now()) });
        if (process.stderr.isTTY) process.stderr.write('\n');
        const lines = Object.entries(result.verification).map(
          ([service, report]) => `  ${service}: ${report.eventsChecked} events in ${report.streamsChecked} streams, ${report.ok ? 'every chain verified' : `BROKEN at position ${report.firstBadPosition}: ${report.firstProblem?.message}`}`,
        );
        const skipped = result.skipped.map((s) => `  not an event: ${s.topic}/${s.partition}/${s.offset} (${s.reason})`);
        const summary = [
          `replayed ${result.events} events from ${result.topics.length} topics in ${result.seconds.toFixed(2)} s (${result.eventsPerSecond} events/s)`,
          ...lines,
          ...skipped,
        ].join('\n');
        if (skipped.length || Object.values(result.verification).some((r) => !r.ok)) throw new Error(summary);
        return summary;
      } finally {
        await bus.close();
      }
    }
    if (subcommand === 'verify-log') {
      const url = option(rest, '--database');
      if (!url) throw new UsageError('audit verify-log needs --database DATABASE_URL');
      const schema = option(rest, '--schema');
      const db = schema ? schemaDatabase(url, schema, 2) : PgDatabase.fromUrl(url, { max: 2 });
      try {
        const report = await verifyEventLog(db);
        const text = JSON.stringify(report, null, 2);
        if (!report.ok) throw new Error(text);
        return text;
      } finally {
        await db.close();
      }
    }
    throw new UsageError(subcommand ? `Unknown audit subcommand: ${subcommand}` : 'Missing audit subcommand');
  },
};
