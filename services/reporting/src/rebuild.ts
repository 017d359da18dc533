import 'reflect-metadata';
import { PgDatabase, PostgresEventStore, ProjectionRunner } from '@thihanh/event-store';
import { loadConfig } from '@thihanh/platform';
import { RebuildConfig } from './config';
import { rebuildSourceReadModels } from './read-models/rebuild-read-models';
import { roundsProjection } from './round/rounds.projection';

/**
 * `npm run --silent rebuild:reporting` (DATABASE_URL = reporting's database): rebuilds every read
 * model of the reporting service — those built from other services' kept events, and the rounds from
 * its own log — and prints how fast. The service may keep running: its consumers wait for the rebuild.
 */
async function main(): Promise<void> {
  const { DATABASE_URL } = loadConfig(RebuildConfig);
  const db = PgDatabase.fromUrl(DATABASE_URL, { max: 2 });
  try {
    const tty = process.stderr.isTTY;
    const sources = await rebuildSourceReadModels(db, {
      onProgress: (done, total) => tty && process.stderr.write(`\r  ${done}/${total} events`),
    });
    if (tty) process.stderr.write('\n');
    const rounds = await new ProjectionRunner(new PostgresEventStore(db), roundsProjection).rebuild();
    process.stdout.write(
      `read models rebuilt: ${sources.events} events of other services in ${sources.seconds.toFixed(2)} s (${sources.eventsPerSecond} events/s); ` +
        `${rounds} events of reporting's own log\n`,
    );
  } finally {
    await db.close();
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
