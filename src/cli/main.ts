import { reportCliError } from './cli.errors.ts';
import { commands } from './commands.ts';

/** Entry point of the `vanthu` command: dispatches to a subcommand and sets the exit code. */
async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    await printHelp();
    return name ? 0 : 1;
  }
  const load = commands[name];
  if (!load) {
    console.error(`Lệnh không tồn tại: "${name}". Xem "vanthu --help".`);
    return 64;
  }
  const command = await load();
  return command.run(rest);
}

async function printHelp() {
  const lines = ['Cách dùng: vanthu <lệnh> [tùy chọn]   (vanthu <lệnh> --help để xem chi tiết)', '', 'Các lệnh:'];
  for (const [name, load] of Object.entries(commands)) {
    const command = await load();
    lines.push(`  ${name.padEnd(14)} ${command.summary}`);
  }
  console.log(lines.join('\n'));
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  process.exitCode = reportCliError(error);
}
