/**
 * Entry of the single-file signing agent (`npm run build:signing-agent`: vanthu-ky-so-linux-x64,
 * vanthu-ky-so-win-x64.exe): `vanthu signing-agent` alone, with the vanthu addresses baked in at build
 * time (SEA asset defaults.json) as the default --origin, so a leader can start it with a double-click.
 * On Windows a window opened by a double-click closes when the program ends: after an error it waits
 * for Enter so the message can be read.
 */
import { createInterface } from 'node:readline/promises';
import { getAsset } from 'node:sea';
import { run, type AgentDefaults } from '../commands/signing-agent.ts';

async function main(): Promise<number> {
  const defaults = JSON.parse(getAsset('defaults.json', 'utf8')) as AgentDefaults;
  const code = await run(process.argv.slice(2), defaults).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    return 1;
  });
  if (code !== 0 && process.platform === 'win32' && process.stdin.isTTY) {
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    await rl.question('Nhấn Enter để đóng cửa sổ.');
    rl.close();
  }
  return code;
}

// The SEA main script is CommonJS: no top-level await.
void main().then((code) => process.exit(code));
