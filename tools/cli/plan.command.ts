import { parsePlanFile } from '@thihanh/plan-document';
import { CliCommand, UsageError } from './cli.command';

/** Parses a plan document offline (no service running) and prints the draft plan as JSON. */
export const planCommand: CliCommand = {
  name: 'plan',
  usage:
    'plan parse <file.txt|file.docx>\n' +
    '  prints the draft plan as JSON: header, legal basis, reporting rules, tasks with their agencies,\n' +
    '  timelines, deliverables and legal references, plus "unparsed" lines and "problems"',

  async run(args) {
    const [subcommand, file, ...rest] = args;
    if (subcommand !== 'parse') throw new UsageError(subcommand ? `Unknown plan subcommand: ${subcommand}` : 'Missing plan subcommand');
    if (!file || rest.length) throw new UsageError('plan parse takes exactly one file');
    const { plan, source } = await parsePlanFile(file);
    return JSON.stringify({ ...plan, source }, null, 2);
  },
};
