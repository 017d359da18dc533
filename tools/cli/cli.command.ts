/** One subcommand of `npm run thihanh -- <name> ...`. Output goes back as text; main.ts prints it. */
export interface CliCommand {
  name: string;
  usage: string;
  run(args: string[], env: NodeJS.ProcessEnv): Promise<string>;
}

/** Wrong arguments: main.ts prints the message with the command's usage and exits with 2. */
export class UsageError extends Error {}
