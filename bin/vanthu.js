#!/bin/sh
':' /*-
# The `vanthu` command: a POSIX shell script that is also an ES module (this part is a JS comment).
# `vanthu verify …` starts from the V8 startup snapshot of the verifier (dist/cli/<id>/verify.blob,
# built with the bundle by scripts/build-cli.ts) when dist/cli/snapshot.sh says it is usable: built by
# the `node` found on PATH and newer than each of its sources. The shell checks that with test
# built-ins, so no second Node process is started. Otherwise — another command, VANTHU_FROM_SOURCE=1,
# a stale or missing snapshot — Node runs this file as JS (below), which rebuilds a stale bundle.
if [ "$1" = verify ] && [ "${VANTHU_FROM_SOURCE:-}" != 1 ]; then
  script=$0
  [ -L "$script" ] && script=$(readlink -f -- "$script")
  case $script in *[/]*) root=${script%/*}/.. ;; *) root=.. ;; esac
  if [ -r "$root/dist/cli/snapshot.sh" ] && . "$root/dist/cli/snapshot.sh" && [ -n "$vanthu_snapshot" ]; then
    exec "$vanthu_node" --snapshot-blob "$vanthu_snapshot" "$@"
  fi
fi
exec node "$0" "$@"
*/
// The JS part, when run by Node (`node bin/vanthu.js`, or from the shell part above): it runs the
// prebuilt bundle in dist/cli (scripts/build-cli.ts, `npm run build:cli`), with Node's compile cache
// on, so a one-file `vanthu verify` starts in tens of milliseconds instead of type-stripping ~100
// modules. When the bundle is missing or older than one of its source files it is rebuilt first (with
// the verify snapshot); when it cannot be built (no dev dependencies installed) the TypeScript sources
// run directly. VANTHU_FROM_SOURCE=1 skips the bundle.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  console.error(`vanthu cần Node 24 trở lên (đang chạy ${process.versions.node}). Chạy qua "npx vanthu" hoặc "npm run" trong thư mục dự án để dùng Node 24 đi kèm.`);
  process.exit(1);
}

// node:fs and node:module through getBuiltinModule: the ESM facade of node:fs reads every export, and
// its lazy `promises` getter alone loads ~30 built-in modules (readline, fs watchers…) at each start.
const { readFileSync, statSync } = process.getBuiltinModule('node:fs');
const { enableCompileCache } = process.getBuiltinModule('node:module');

const root = join(import.meta.dirname, '..');
const dist = join(root, 'dist', 'cli');

/**
 * The entry file of the current bundle when none of the sources this run may load (the dispatcher and
 * the named command's modules, and the snapshot's for verify; every module for --help) changed since it was built.
 */
function freshBundle() {
  try {
    const manifest = JSON.parse(readFileSync(join(dist, 'current.json'), 'utf8'));
    const name = process.argv[2] ?? '';
    const command = manifest.commands[name];
    // `verify` also rebuilds a stale snapshot, which the shell part then starts from.
    const snapshot = name === 'verify' ? (manifest.snapshot?.inputs ?? []) : [];
    const inputs = [...manifest.inputs, ...(command ?? Object.values(manifest.commands).flat()), ...snapshot];
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
