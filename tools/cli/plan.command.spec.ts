import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from './cli.command';
import { planCommand } from './plan.command';

const root = join(__dirname, '../..');
const seed = join(root, 'test/fixtures/plans/bac-ninh-plan.txt');

/** The CLI as an operator runs it: `npm run thihanh -- plan parse FILE`, no service needed. */
function thihanh(...args: string[]) {
  const run = spawnSync(process.execPath, ['-r', '@swc-node/register', 'tools/cli/main.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('thihanh plan parse', () => {
  it('prints the parsed plan as JSON and exits 0', () => {
    const run = thihanh('plan', 'parse', seed);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const plan = JSON.parse(run.stdout);
    expect(plan).toMatchObject({ province: 'bac-ninh', place: 'Bắc Ninh', unparsed: [], problems: [] });
    expect(plan.tasks.map((t: { number: string }) => t.number)).toEqual([
      '1', '2', '3', '4', '4.a', '4.b', '4.c', '4.d', '4.đ', '4.e', '4.g', '4.h', '4.i', '5', '6',
    ]);
    expect(plan.source).toEqual({ fileName: 'bac-ninh-plan.txt', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
  }, 30_000);

  it('exits non-zero with a clear message for a missing file and for an unsupported type', () => {
    const missing = thihanh('plan', 'parse', 'no/such/plan.txt');
    expect([missing.status, missing.stdout, missing.stderr]).toEqual([1, '', 'Cannot read plan file no/such/plan.txt: no such file\n']);

    const pdf = join(mkdtempSync(join(tmpdir(), 'plan-')), 'plan.pdf');
    writeFileSync(pdf, '%PDF-1.7');
    const unsupported = thihanh('plan', 'parse', pdf);
    expect([unsupported.status, unsupported.stdout, unsupported.stderr]).toEqual([
      1,
      '',
      'Unsupported plan file type ".pdf" for plan.pdf: expected .txt or .docx\n',
    ]);
  }, 30_000);

  it('refuses other subcommands and extra arguments as usage errors', async () => {
    await expect(planCommand.run(['show', seed], {})).rejects.toThrow(UsageError);
    await expect(planCommand.run(['parse'], {})).rejects.toThrow('plan parse takes exactly one file');
    await expect(planCommand.run(['parse', seed, 'more'], {})).rejects.toThrow(UsageError);
  });

  it('reads a file that is not UTF-8 as an error, not as garbage', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'plan-')), 'plan.txt');
    writeFileSync(file, Buffer.from([0x4b, 0xca, 0x20, 0xff]));
    await expect(planCommand.run(['parse', file], {})).rejects.toThrow('plan.txt is not UTF-8 text: save it as UTF-8 or as .docx');
  });
});
