import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Catalog, readCatalog, SCHEMAS_DIR } from './event-catalog';
import { CATALOG_FILE, renderCatalog } from './markdown';
import { REPO_ROOT } from './static-values';

/** Everything the catalogue writes, by path from the repository's root. */
export function catalogFiles(catalog: Catalog = readCatalog()): Map<string, string> {
  const files = new Map<string, string>([[CATALOG_FILE, renderCatalog(catalog)]]);
  for (const payload of catalog.services.flatMap((s) => s.events).flatMap((e) => e.payloads)) {
    files.set(payload.schemaFile, `${JSON.stringify(payload.schema, null, 2)}\n`);
  }
  return files;
}

/** What differs under `root` from the files given: changed, missing, or a schema no longer generated. */
export function outOfDate(files: Map<string, string>, root = REPO_ROOT): string[] {
  const problems: string[] = [];
  for (const [path, content] of files) {
    const file = join(root, path);
    if (!existsSync(file)) problems.push(`${path}: missing`);
    else if (readFileSync(file, 'utf8') !== content) problems.push(`${path}: out of date`);
  }
  for (const path of staleSchemas(files, root)) problems.push(`${path}: no longer generated`);
  return problems;
}

/** Writes what changed and removes schemas no longer generated; returns the paths touched. */
export function writeCatalog(files: Map<string, string>, root = REPO_ROOT): string[] {
  const touched: string[] = [];
  for (const [path, content] of files) {
    const file = join(root, path);
    if (existsSync(file) && readFileSync(file, 'utf8') === content) continue;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
    touched.push(path);
  }
  for (const path of staleSchemas(files, root)) {
    rmSync(join(root, path));
    touched.push(path);
  }
  return touched;
}

function staleSchemas(files: Map<string, string>, root: string): string[] {
  const dir = join(root, SCHEMAS_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => `${SCHEMAS_DIR}/${name}`)
    .filter((path) => !files.has(path))
    .sort();
}
