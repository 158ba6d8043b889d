#!/usr/bin/env node
// The `vanthu` command. It runs the prebuilt bundle in dist/cli (scripts/build-cli.ts, `npm run
// build:cli`), with Node's compile cache on, so a one-file `vanthu verify` starts in tens of
// milliseconds instead of type-stripping ~100 modules. When the bundle is missing or older than one of
// its source files it is rebuilt first; when it cannot be built (no dev dependencies installed) the
// TypeScript sources run directly. VANTHU_FROM_SOURCE=1 skips the bundle.
import { readFileSync, statSync } from 'node:fs';
import { enableCompileCache } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  console.error(`vanthu cần Node 24 trở lên (đang chạy ${process.versions.node}). Chạy qua "npx vanthu" hoặc "npm run" trong thư mục dự án để dùng Node 24 đi kèm.`);
  process.exit(1);
}

const root = join(import.meta.dirname, '..');
const dist = join(root, 'dist', 'cli');

/**
 * The entry file of the current bundle when none of the sources this run may load (the dispatcher and
 * the named command's modules; every module for --help) changed since it was built.
 */
function freshBundle() {
  try {
    const manifest = JSON.parse(readFileSync(join(dist, 'current.json'), 'utf8'));
    const command = manifest.commands[process.argv[2] ?? ''];
    const inputs = [...manifest.inputs, ...(command ?? Object.values(manifest.commands).flat())];
    for (const input of inputs) if (statSync(join(root, input)).mtimeMs > manifest.builtAt) return undefined;
    return join(dist, manifest.entry);
  } catch {
    return undefined;
  }
}

async function rebuild() {
  try {
    const { buildCli } = await import('../scripts/build-cli.ts');
    return join(dist, (await buildCli()).entry);
  } catch {
    return undefined;
  }
}

const entry = process.env.VANTHU_FROM_SOURCE === '1' ? undefined : (freshBundle() ?? (await rebuild()));
if (entry) {
  enableCompileCache();
  await import(pathToFileURL(entry).href);
} else {
  await import('../src/cli/main.ts');
}
