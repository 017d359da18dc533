import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { loadConfig } from '@thihanh/platform';
import { EmbeddedConfig } from '../embedded/embedded.config';
import { startEmbedded } from '../embedded/main';
import { GENERATED_FILE, generate, openApiFile, SERVICES, writeOpenApi } from './generate';

/**
 * `npm run --silent sdk:generate`: starts the system embedded (in memory), takes each service's
 * OpenAPI document, keeps them in libs/sdk/openapi/ and regenerates libs/sdk/src/generated.ts.
 * With `--check`, writes nothing and exits 1 naming what is out of date.
 */
async function main(check: boolean): Promise<number> {
  // Below Linux's ephemeral range (32768+), where outgoing connections could already hold the port.
  const port = 26000 + Math.floor(Math.random() * 1000) * 5;
  const config = loadConfig(EmbeddedConfig, { THIHANH_DATA_DIR: ':memory:', THIHANH_PORT: String(port), THIHANH_EXAMPLES: 'false', LOG_LEVEL: 'error' });
  const system = await startEmbedded(config);
  const documents: Record<string, unknown> = {};
  try {
    for (const [i, service] of SERVICES.entries()) {
      const response = await fetch(`http://127.0.0.1:${port + i + 1}/openapi.json`);
      documents[service.name] = await response.json();
    }
  } finally {
    await system.stop();
  }
  if (!check) {
    writeOpenApi(documents);
    writeFileSync(GENERATED_FILE, generate(documents as Parameters<typeof generate>[0]));
    process.stdout.write(`SDK regenerated from ${SERVICES.length} OpenAPI documents\n`);
    return 0;
  }
  const stale: string[] = [];
  const before = SERVICES.map((s) => readFileSync(openApiFile(s.name), 'utf8'));
  writeOpenApi(documents);
  SERVICES.forEach((s, i) => {
    if (readFileSync(openApiFile(s.name), 'utf8') !== before[i]) stale.push(`libs/sdk/openapi/${s.name}.json`);
    writeFileSync(openApiFile(s.name), before[i]);
  });
  if (generate(documents as Parameters<typeof generate>[0]) !== readFileSync(GENERATED_FILE, 'utf8')) stale.push('libs/sdk/src/generated.ts');
  if (stale.length) process.stderr.write(`Out of date (run npm run --silent sdk:generate): ${stale.join(', ')}\n`);
  return stale.length ? 1 : 0;
}

main(process.argv.includes('--check')).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
