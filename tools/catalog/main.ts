import { catalogFiles, outOfDate, writeCatalog } from './catalog-files';

/** npm run --silent catalog [-- --check]: writes docs/event-catalog.md and docs/event-schemas/, or checks them. */
function main(args: string[]): number {
  const unknown = args.filter((arg) => arg !== '--check');
  if (unknown.length) {
    process.stderr.write(`Unknown argument: ${unknown.join(' ')}\nUsage: npm run --silent catalog [-- --check]\n`);
    return 2;
  }
  const files = catalogFiles();
  if (args.includes('--check')) {
    const problems = outOfDate(files);
    if (!problems.length) {
      process.stdout.write(`Event catalogue up to date (${files.size} files).\n`);
      return 0;
    }
    process.stderr.write(`Event catalogue out of date — run npm run --silent catalog:\n${problems.map((p) => `  ${p}\n`).join('')}`);
    return 1;
  }
  const touched = writeCatalog(files);
  process.stdout.write(touched.length ? `Updated ${touched.length} of ${files.size} files (written or removed):\n${touched.map((p) => `  ${p}\n`).join('')}` : `Event catalogue up to date (${files.size} files).\n`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
