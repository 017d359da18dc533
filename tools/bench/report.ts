import os from 'node:os';

/** Output of `npm run bench`: one JSON line per figure on stdout (BENCH.md), a summary table on stderr. */

export const CORES = os.availableParallelism();

export interface Figure {
  figure: string;
  value: number;
  [key: string]: unknown;
}

export const figures: Figure[] = [];
export const rows: { name: string; value: string; target: string; status: string }[] = [];

export function emit(figure: Figure): void {
  const line = { ...figure, value: round(figure.value), cores: CORES };
  figures.push(line);
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

export function row(name: string, value: string, target = '', status = ''): void {
  rows.push({ name, value, target, status });
}

export function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

export function round(n: number): number {
  if (!Number.isFinite(n)) return n;
  return Math.abs(n) >= 100 ? Math.round(n) : Math.round(n * 100) / 100;
}

export function positiveInt(text: string | undefined, fallback: number): number {
  if (text === undefined || text === '') return fallback;
  const n = Number(text.replace(/[_,]/g, ''));
  if (!Number.isInteger(n) || n <= 0) throw new Error(`Not a positive integer: ${text}`);
  return n;
}

export function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function printSummary(events?: number): void {
  const header = { name: 'figure', value: 'value', target: 'target', status: 'status' };
  const all = [header, ...rows];
  const width = (key: keyof typeof header) => Math.max(...all.map((r) => r[key].length));
  const w = { name: width('name'), value: width('value'), target: width('target'), status: width('status') };
  const line = (r: typeof header) => `${r.name.padEnd(w.name)}  ${r.value.padStart(w.value)}  ${r.target.padEnd(w.target)}  ${r.status}`;
  process.stderr.write(`\nThi Hành benchmark — ${CORES} cores${events === undefined ? '' : `, ${fmt(events)} events`}\n`);
  process.stderr.write(`${line(header)}\n${'-'.repeat(w.name + w.value + w.target + w.status + 6)}\n`);
  for (const r of rows) process.stderr.write(`${line(r)}\n`);
}
