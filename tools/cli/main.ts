import { auditCommand } from './audit.command';
import { CliCommand, UsageError } from './cli.command';
import { planCommand } from './plan.command';
import { tokenCommand } from './token.command';

/** Operator commands. Add one by writing `<name>.command.ts` and listing it here. */
const COMMANDS: CliCommand[] = [tokenCommand, planCommand, auditCommand];

function usage(): string {
  return `Usage: npm run thihanh -- <command> ...\n\n${COMMANDS.map((c) => `  ${c.usage}`).join('\n\n')}\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(name && name !== 'help' ? `Unknown command: ${name}\n\n${usage()}` : usage());
    return name && name !== 'help' ? 2 : 0;
  }
  try {
    process.stdout.write(`${await command.run(args, process.env)}\n`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n\nUsage: npm run thihanh -- ${command.usage}\n`);
      return 2;
    }
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
