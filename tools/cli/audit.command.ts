import { PgDatabase, verifyEventLog } from '@thihanh/event-store';
import { KafkaMessageBus } from '@thihanh/messaging';
import { BundlePart, replayFromKafka, schemaDatabase, verifyBundle, writeBundle } from '@thihanh/platform';
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
    'audit replay --from-kafka BROKERS --to DATABASE_URL [--services a,b] [--namespace thihanh]\n' +
    '  copies every service\'s events from Kafka (thihanh.<service>.events.v1, oldest first) into the database,\n' +
    '  one schema per service, verifies each stream\'s hash chain, and prints events/s (exit 1 if a chain is broken\n' +
    '  or a message is not an event)\n' +
    'audit verify-log --database DATABASE_URL [--schema NAME]\n' +
    '  checks a service\'s log (every hash chain and seal) and names the first bad position (exit 1)\n' +
    'audit bundle --plan PLAN_ID --service NAME=URL [--service NAME=URL ...] --out DIR [--from ISO] [--to ISO]\n' +
    '  (THIHANH_TOKEN: an auditor\'s token) exports everything about one plan from each service as a self-verifying\n' +
    '  bundle: events.jsonl, seals.jsonl, manifest.json with their SHA-256 and the seals it is anchored to\n' +
    'audit verify BUNDLE_DIR\n' +
    '  checks a bundle offline: files, every stream\'s chain, every seal, the anchors; names any break (exit 1)',

  async run(args, env) {
    const [subcommand, ...rest] = args;
    if (subcommand === 'replay') {
      const brokers = option(rest, '--from-kafka');
      const url = option(rest, '--to');
      if (!brokers || !url) throw new UsageError('audit replay needs --from-kafka BROKERS and --to DATABASE_URL');
      const bus = new KafkaMessageBus({ brokers: brokers.split(',').map((b) => b.trim()), clientId: 'thihanh-audit' });
      try {
        const services = option(rest, '--services')?.split(',').map((s) => s.trim()).filter(Boolean);
        const result = await replayFromKafka(bus, url, { namespace: option(rest, '--namespace'), services, onProgress: progress(Date.now()) });
        if (process.stderr.isTTY) process.stderr.write('\n');
        const lines = Object.entries(result.verification).map(
          ([service, report]) => `  ${service}: ${report.eventsChecked} events in ${report.streamsChecked} streams, ${report.ok ? 'every chain verified' : `BROKEN at position ${report.firstBadPosition}: ${report.firstProblem?.message}`}`,
        );
        const skipped = result.skipped.map((s) => `  not copied: ${s.topic}/${s.partition}/${s.offset}: ${s.reason}`);
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
    if (subcommand === 'bundle') {
      const planId = option(rest, '--plan');
      const out = option(rest, '--out');
      const services = rest.flatMap((arg, i) => (arg === '--service' ? [rest[i + 1] ?? ''] : [])).map((s) => s.split('='));
      if (!planId || !out || !services.length || services.some(([name, url]) => !name || !url)) {
        throw new UsageError('audit bundle needs --plan, --out and at least one --service NAME=URL');
      }
      const token = env['THIHANH_TOKEN'];
      if (!token) throw new UsageError('Set THIHANH_TOKEN to an auditor\'s token (npm run thihanh -- token issue …)');
      const query = new URLSearchParams({ planId, ...(option(rest, '--from') ? { from: option(rest, '--from')! } : {}), ...(option(rest, '--to') ? { to: option(rest, '--to')! } : {}) });
      const parts: BundlePart[] = [];
      for (const [name, url] of services) {
        const response = await fetch(`${url.replace(/\/$/, '')}/audit/bundle?${query}`, { headers: { authorization: `Bearer ${token}` } });
        if (!response.ok) throw new Error(`${name}: ${response.status} ${await response.text()}`);
        parts.push({ ...((await response.json()) as BundlePart), service: name });
      }
      const manifest = writeBundle(out, parts, new Date().toISOString());
      const counts = Object.entries(manifest.services).map(([name, s]) => `  ${name}: ${s.events} events in ${s.streams} streams, anchored to ${s.seals.length} seals`);
      return [`bundle of plan ${planId} written to ${out}`, ...counts].join('\n');
    }
    if (subcommand === 'verify') {
      const [dir] = rest;
      if (!dir) throw new UsageError('audit verify needs the bundle\'s directory');
      const result = verifyBundle(dir);
      const summary = `${result.ok ? 'bundle verified' : 'BUNDLE BROKEN'}: ${result.events} events in ${result.streams} streams, ${result.seals} seals, ${result.unsealedEvents} events not sealed yet`;
      const breaks = result.problems.map((p) => `  ${p.where}: ${p.message}`);
      if (!result.ok) throw new Error([summary, ...breaks].join('\n'));
      return summary;
    }
    throw new UsageError(subcommand ? `Unknown audit subcommand: ${subcommand}` : 'Missing audit subcommand');
  },
};
