#!/usr/bin/env node
// The README's test command (`npm test`): lint (module boundaries included), type-check, unit tests,
// then integration and fault tests against real PostgreSQL and Kafka (from DATABASE_URL and KAFKA_BROKERS, else
// testcontainers, else those suites are skipped with a line saying so). Stops at the first failure.
import { spawnSync } from 'node:child_process';

const steps = [
  ['lint', 'npx', ['nx', 'run-many', '-t', 'lint', '--outputStyle=static']],
  ['typecheck', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']],
  ['unit tests', 'npx', ['jest', '-c', 'jest.unit.config.js', '--ci']],
  ['integration tests', 'npx', ['jest', '-c', 'jest.int.config.js', '--ci']],
  ['fault tests', 'npx', ['jest', '-c', 'jest.faults.config.js', '--ci']],
];

// PGlite (the embedded mode's database) loads its WebAssembly through a dynamic import, which Jest's VM allows only with this flag.
const env = {
  ...process.env,
  NX_NO_CLOUD: 'true',
  NX_DAEMON: 'false',
  NX_TUI: 'false',
  NODE_OPTIONS: [process.env.NODE_OPTIONS, '--experimental-vm-modules', '--no-warnings=ExperimentalWarning'].filter(Boolean).join(' '),
};
// `node scripts/test.mjs fault` (npm run test:faults) runs only the steps whose name starts with an argument.
const wanted = process.argv.slice(2);
const chosen = wanted.length ? steps.filter(([name]) => wanted.some((w) => name.startsWith(w))) : steps;
if (!chosen.length) throw new Error(`No test step named ${wanted.join(', ')}: ${steps.map(([n]) => n).join(', ')}`);
for (const [name, command, args] of chosen) {
  const started = Date.now();
  process.stdout.write(`\n=== ${name} ===\n`);
  const result = spawnSync(command, args, { stdio: 'inherit', env });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    process.stdout.write(`\n=== ${name} FAILED after ${seconds} s ===\n`);
    process.exit(result.status ?? 1);
  }
  process.stdout.write(`=== ${name} passed in ${seconds} s ===\n`);
}
