#!/usr/bin/env node
// Compiles the libraries and services to plain JavaScript for the container images, with the very
// transform `node -r @swc-node/register` applies at run time in development: the same tsconfig read
// by the same functions of @swc-node/register, so the same swc options (decorators and their metadata,
// class fields, target) and `@thihanh/*` paths rewritten to relative requires. The image then runs
// `node` alone: no TypeScript, no swc and no dev dependency at run time.
//
//   node deploy/docker/build.mjs [--out dist]
//
// Writes <out>/{libs,services}/<name>/src/**.js with a .js.map beside each (run node with
// --enable-source-maps for stack traces in TypeScript lines), copies the other files of those
// folders (the agency directory's JSON seeds…), skips tests, and writes <out>/main.js, which starts
// the service named by THIHANH_SERVICE. Run by deploy/docker/Dockerfile; test/deploy checks it.
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { readDefaultTsConfig, tsCompilerOptionsToSwcConfig } = require('@swc-node/register/read-default-tsconfig');
const { transformSync } = require('@swc-node/core');

const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const out = path.resolve(root, outIndex >= 0 ? args[outIndex + 1] : 'dist');
if (out === root || !path.relative(root, out) || root.startsWith(out)) {
  process.stderr.write(`refusing to write into ${out}\n`);
  process.exit(2);
}

const tsconfig = readDefaultTsConfig(path.join(root, 'tsconfig.json'));
const isTest = (name) => /\.spec\.ts$/.test(name) || /\.fixture\.ts$/.test(name);

function* walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (entry.isFile()) yield full;
  }
}

const projects = (folder) =>
  readdirSync(path.join(root, folder), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => path.join(root, folder, entry.name, 'src'));

const services = readdirSync(path.join(root, 'services'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

rmSync(out, { recursive: true, force: true });
const started = Date.now();
let compiled = 0;
let copied = 0;
for (const dir of [...projects('libs'), ...projects('services')]) {
  for (const file of walk(dir)) {
    const target = path.join(out, path.relative(root, file));
    if (file.endsWith('.d.ts') || isTest(file)) continue;
    mkdirSync(path.dirname(target), { recursive: true });
    if (!file.endsWith('.ts')) {
      copyFileSync(file, target);
      copied += 1;
      continue;
    }
    const options = tsCompilerOptionsToSwcConfig(tsconfig, file);
    const { code, map } = transformSync(readFileSync(file, 'utf8'), file, {
      ...options,
      swc: { ...options.swc, sourceMaps: true, inlineSourcesContent: false },
    });
    const js = target.replace(/\.ts$/, '.js');
    writeFileSync(js, `${code}\n//# sourceMappingURL=${path.basename(js)}.map\n`);
    if (map) writeFileSync(`${js}.map`, map);
    compiled += 1;
  }
}

writeFileSync(
  path.join(out, 'main.js'),
  `'use strict';
// Starts the service named by THIHANH_SERVICE (each image sets it). Written by deploy/docker/build.mjs.
const services = ${JSON.stringify(services)};
const service = process.env.THIHANH_SERVICE;
if (!services.includes(service)) {
  process.stderr.write('THIHANH_SERVICE must be one of ' + services.join(', ') + ' (it is ' + JSON.stringify(service) + ')\\n');
  process.exit(64);
}
require('./services/' + service + '/src/main.js');
`,
);

process.stdout.write(
  `compiled ${compiled} files and copied ${copied} others into ${path.relative(root, out)} in ${Date.now() - started} ms (services: ${services.join(', ')})\n`,
);
