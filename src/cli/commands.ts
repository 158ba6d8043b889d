/**
 * The `vanthu` subcommands. Each entry loads its module lazily, so `vanthu verify` does not load the
 * web server. A command module exports `run(args: string[]): Promise<number>` (the exit code) and
 * `summary` (one line for `vanthu --help`); `run` prints its own `--help`.
 */
export type CliCommand = {
  summary: string;
  run: (args: string[]) => Promise<number>;
};

export const commands: Record<string, () => Promise<CliCommand>> = {
  serve: () => import('./commands/serve.ts'),
  migrate: () => import('./commands/migrate.ts'),
  admin: () => import('./commands/admin.ts'),
  audit: () => import('./commands/audit.ts'),
  edxml: () => import('./commands/edxml.ts'),
  axis: () => import('./commands/axis.ts'),
  exchange: () => import('./commands/exchange.ts'),
  sign: () => import('./commands/sign.ts'),
  'sign-batch': () => import('./commands/sign-batch.ts'),
  verify: () => import('./commands/verify.ts'),
  augment: () => import('./commands/augment.ts'),
  archive: () => import('./commands/archive.ts'),
  backup: () => import('./commands/backup.ts'),
  'signing-agent': () => import('./commands/signing-agent.ts'),
};
