// Helpers for the deployment tests: the JavaScript build the images run (deploy/docker/build.mjs), and
// which npm packages that code loads, checked against the lock file: the runtime stage of the
// Dockerfile holds `npm ci --omit=dev`, so whatever the services load must not be a dev dependency.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');

export interface CompiledTree {
  /** Where dist/ went (outside the repository). */
  dir: string;
  /** Env for a node process running it: bare imports resolve to the repository's node_modules. */
  env: Record<string, string>;
  /**
   * A `node -r` preload appending every file resolved under node_modules to `file`, one a line, as it
   * is loaded (a service stopped by SIGTERM never reaches process.on('exit')).
   */
  recorder(file: string): string;
  remove(): void;
}

/**
 * The settings of one service process run from the build on a scratch database and a Kafka topic
 * namespace of its own (consumer groups `<namespace>.<service>`, reading from the beginning).
 */
export function serviceEnv(options: { service: string; port: number; databaseUrl: string; brokers: string; namespace: string; authKeys: string }): Record<string, string> {
  return {
    PORT: String(options.port),
    DATABASE_URL: options.databaseUrl,
    DATABASE_POOL_SIZE: '10',
    KAFKA_BROKERS: options.brokers,
    KAFKA_TOPIC_PARTITIONS: '6',
    KAFKA_TOPIC_NAMESPACE: options.namespace,
    KAFKA_CONSUMER_GROUP: `${options.namespace}.${options.service}`,
    KAFKA_CONSUMER_FROM_BEGINNING: 'true',
    THIHANH_AUTH_KEYS: options.authKeys,
    LOG_LEVEL: 'warn',
    SEAL_INTERVAL_MS: '5000',
  };
}

/** Runs deploy/docker/build.mjs as the Dockerfile does, into a fresh temporary folder. */
export function compile(): CompiledTree {
  const base = mkdtempSync(path.join(tmpdir(), 'thihanh-dist-'));
  const dir = path.join(base, 'dist');
  execFileSync(process.execPath, [path.join(ROOT, 'deploy/docker/build.mjs'), '--out', dir], { cwd: ROOT, stdio: 'pipe' });
  return {
    dir,
    env: { NODE_PATH: path.join(ROOT, 'node_modules') },
    recorder(file) {
      const hook = path.join(base, `record-${path.basename(file)}.js`);
      writeFileSync(
        hook,
        `const Module = require('node:module');
const fs = require('node:fs');
const seen = new Set();
const resolve = Module._resolveFilename;
Module._resolveFilename = function (...args) {
  const found = resolve.apply(this, args);
  if (typeof found === 'string' && found.includes('node_modules') && !seen.has(found)) {
    seen.add(found);
    fs.appendFileSync(${JSON.stringify(file)}, found + '\\n');
  }
  return found;
};
`,
      );
      return hook;
    },
    remove: () => rmSync(base, { recursive: true, force: true }),
  };
}

/** `node_modules/a`, `node_modules/@s/b`, `node_modules/a/node_modules/c`: the package a file belongs to. */
export function packageOf(file: string): string {
  const rel = path.relative(ROOT, file).split(path.sep);
  let end = -1;
  for (let i = 0; i < rel.length; i++) {
    if (rel[i] === 'node_modules') end = rel[i + 1]?.startsWith('@') ? i + 2 : i + 1;
  }
  if (end < 0) throw new Error(`${file} is not under node_modules`);
  return rel.slice(0, end + 1).join('/');
}

/** Packages among `files` that `npm ci --omit=dev` would not install (or that the lock does not know). */
export function notInProductionInstall(files: string[]): string[] {
  const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean }>;
  };
  const packages = [...new Set(files.map(packageOf))].sort();
  return packages.filter((p) => !lock.packages[p] || lock.packages[p].dev === true);
}

/** The files a recorder wrote. */
export function readRecorded(file: string): string[] {
  return readFileSync(file, 'utf8').split('\n').filter(Boolean);
}
