/**
 * `npm run build:cli`: bundles the `vanthu` command (src/cli/main.ts) into plain minified ESM under
 * dist/cli/<id>/, so a run does not type-strip and resolve ~100 source modules at start-up. Each
 * subcommand stays its own chunk (loaded only when that command runs), and packages with native code
 * or data files (koffi, pg, PGlite, hono, pdf.js…) stay external, loaded from node_modules as before.
 *
 * dist/cli/current.json names the current build and lists its source inputs with the build time;
 * bin/vanthu.js compares their mtimes with it and rebuilds (through buildCli) when one is newer.
 * Builds are written to a temporary folder and renamed into place, so concurrent runs never load a
 * half-written bundle.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { rolldown, type Plugin } from 'rolldown';

const ROOT = join(import.meta.dirname, '..');
export const CLI_DIST = join(ROOT, 'dist', 'cli');
export const CLI_MANIFEST = join(CLI_DIST, 'current.json');
/** Sourced by the shell part of bin/vanthu.js: where the verify snapshot is and whether it is fresh. */
export const CLI_SNAPSHOT_SH = join(CLI_DIST, 'snapshot.sh');
const SNAPSHOT_ENTRY = join(ROOT, 'src', 'cli', 'snapshot.ts');
const WARMUP = join(ROOT, 'scripts', 'snapshot');
const WARMUP_FILES = [join(WARMUP, 'warmup.pdf'), join(WARMUP, 'warmup-root.der')];

/** Pure-JS packages the verifier and signer use: bundled, so their modules need no resolution at run time. */
const BUNDLED_PACKAGES = ['@peculiar/', 'asn1js', 'pkijs', 'pvtsutils', 'pvutils', 'tslib', 'bytestreamjs', 'zod'];

/** Files whose change makes a build stale, besides the bundled source modules. */
const EXTRA_INPUTS = ['scripts/build-cli.ts', 'package-lock.json'];

/**
 * `inputs` are the files every command loads; `commands[name]` those that `vanthu name` may load
 * (its chunk and everything that chunk imports, statically or lazily).
 */
export type CliManifest = {
  id: string; entry: string; builtAt: number; inputs: string[]; commands: Record<string, string[]>;
  /** The `vanthu verify` startup snapshot, when this Node could build one: blob (relative to dist/cli), the node binary it needs, its sources. */
  snapshot?: { blob: string; node: string; inputs: string[] };
};

type Chunk = { fileName: string; facadeModuleId: string | null; moduleIds: string[]; imports: string[]; dynamicImports: string[] };

/** Source files (relative to the project) of `start` and every chunk it imports, statically and (when `lazy`) dynamically. */
function sourcesOf(chunks: Map<string, Chunk>, start: string, lazy: boolean): Set<string> {
  const seen = new Set<string>();
  const files = new Set<string>();
  const visit = (name: string) => {
    const chunk = chunks.get(name);
    if (!chunk || seen.has(name)) return;
    seen.add(name);
    for (const id of chunk.moduleIds) if (id.startsWith(ROOT) && !id.includes('node_modules')) files.add(relative(ROOT, id));
    for (const next of [...chunk.imports, ...(lazy ? chunk.dynamicImports : [])]) visit(next);
  };
  visit(start);
  return files;
}

function isExternal(id: string): boolean {
  if (isBuiltin(id)) return true;
  if (id.startsWith('.') || id.startsWith('/') || id.startsWith('\0')) return false;
  return !BUNDLED_PACKAGES.some((p) => id === p || id.startsWith(p.endsWith('/') ? p : `${p}/`));
}

/**
 * Keeps `import.meta.url` (and `dirname`, `filename`) of a bundled source module pointing at its source
 * file, not at the chunk in dist/cli/<id>/: the migrations folder, the fonts, the seal and signature
 * images and the signing worker are found next to the sources (without it `vanthu migrate` and
 * `vanthu admin` on a fresh DATA_DIR failed with ENOENT on dist/cli/<id>/migrations). The path is
 * relative to the chunk, so a moved checkout still works.
 */
function sourceLocations(): Plugin {
  return {
    name: 'vanthu-source-locations',
    transform(code, id) {
      if (!id.startsWith(join(ROOT, 'src')) || !code.includes('import.meta.')) return null;
      const url = `new URL(${JSON.stringify(`../../../${relative(ROOT, id)}`)}, import.meta.url)`;
      const path = `process.getBuiltinModule('node:url').fileURLToPath(${url})`;
      return code
        .replaceAll(/\bimport\.meta\.url\b/g, `${url}.href`)
        .replaceAll(/\bimport\.meta\.filename\b/g, path)
        .replaceAll(/\bimport\.meta\.dirname\b/g, `process.getBuiltinModule('node:path').dirname(${path})`);
    },
  };
}

/** Removes builds older than an hour other than `keep` (a running process may still load chunks of a recent one). */
function pruneOldBuilds(keep: string): void {
  for (const name of readdirSync(CLI_DIST)) {
    const path = join(CLI_DIST, name);
    if (name === keep || /^(current\.json|package\.json|snapshot\.sh)$/.test(name)) continue;
    if (Date.now() - statSync(path).mtimeMs > 3_600_000 || name.startsWith('.tmp-')) rmSync(path, { recursive: true, force: true });
  }
}

/** Single-quotes a word for sh. */
const shQuote = (w: string) => `'${w.replaceAll("'", `'\\''`)}'`;

type SnapshotSource = { code: string; inputs: string[] };

/** Bundles src/cli/snapshot.ts (and everything it imports) into one CommonJS script, what `--build-snapshot` takes. */
async function bundleSnapshot(): Promise<SnapshotSource> {
  const bundle = await rolldown({ input: SNAPSHOT_ENTRY, platform: 'node', external: (id) => isBuiltin(id), logLevel: 'silent' });
  const { output } = await bundle.generate({ format: 'cjs', minify: true, codeSplitting: false });
  await bundle.close();
  const [chunk] = output;
  if (chunk?.type !== 'chunk') throw new Error('no snapshot chunk');
  const own = chunk.moduleIds.filter((id) => id.startsWith(ROOT) && !id.includes('node_modules')).map((id) => relative(ROOT, id));
  return { code: chunk.code, inputs: [...new Set([...EXTRA_INPUTS, ...own, ...WARMUP_FILES.map((f) => relative(ROOT, f))])].sort() };
}

/**
 * Builds `dir`/verify.blob from the snapshot script with this Node (`--build-snapshot`, warmed up on
 * scripts/snapshot/). False when this Node cannot: the launcher then runs the ESM bundle.
 */
function buildSnapshotBlob(dir: string, source: SnapshotSource): boolean {
  const script = join(dir, 'verify.snapshot.cjs');
  writeFileSync(script, source.code);
  const built = spawnSync(process.execPath, ['--snapshot-blob', join(dir, 'verify.blob'), '--build-snapshot', script], {
    env: { ...process.env, VANTHU_SNAPSHOT_WARMUP: WARMUP, NODE_OPTIONS: '' }, stdio: 'pipe', timeout: 60_000,
  });
  if (built.status === 0) return true;
  console.warn(`vanthu: the verify snapshot was not built: ${built.error?.message ?? built.stderr.toString().trim().split('\n').at(-1) ?? built.status}`);
  return false;
}

/**
 * Writes dist/cli/snapshot.sh for the shell part of bin/vanthu.js: `vanthu_snapshot` is the blob when
 * it can be used — built by the `node` on PATH (same file, not replaced since) and newer than each of
 * its sources — so that check costs the shell no process. Without a snapshot the file is removed.
 */
function writeSnapshotSh(manifest: CliManifest): void {
  const snap = manifest.snapshot;
  if (!snap) { rmSync(CLI_SNAPSHOT_SH, { force: true }); return; }
  const sh = `# Written by scripts/build-cli.ts for bin/vanthu.js (POSIX sh). $root is the project folder.
vanthu_snapshot=$root/dist/cli/${snap.blob}
vanthu_node=$(command -v node) || vanthu_node=
[ -n "$vanthu_node" ] && [ "$vanthu_node" -ef ${shQuote(snap.node)} ] && [ "$vanthu_snapshot" -nt ${shQuote(snap.node)} ] || vanthu_snapshot=
for vanthu_input in ${snap.inputs.map(shQuote).join(' ')}; do
  [ -z "$vanthu_snapshot" ] || [ ! "$root/$vanthu_input" -nt "$vanthu_snapshot" ] || vanthu_snapshot=
done
`;
  const tmp = `${CLI_SNAPSHOT_SH}.${process.pid}`;
  writeFileSync(tmp, sh);
  renameSync(tmp, CLI_SNAPSHOT_SH);
}

/** Builds the CLI bundle and makes it current. Returns its manifest. */
export async function buildCli(): Promise<CliManifest> {
  const builtAt = Date.now();
  const bundle = await rolldown({ input: join(ROOT, 'src', 'cli', 'main.ts'), platform: 'node', external: isExternal, plugins: [sourceLocations()], logLevel: 'silent' });
  const { output } = await bundle.generate({ format: 'esm', minify: true, chunkFileNames: '[name]-[hash].js', entryFileNames: 'main.js' });
  await bundle.close();
  const hash = createHash('sha256');
  const chunks = new Map<string, Chunk>();
  for (const file of output) {
    if (file.type !== 'chunk') continue;
    hash.update(file.fileName).update(file.code);
    chunks.set(file.fileName, file);
  }
  const inputs = new Set([...EXTRA_INPUTS, ...sourcesOf(chunks, 'main.js', false)]);
  const commands: Record<string, string[]> = {};
  for (const chunk of chunks.values()) {
    const name = chunk.facadeModuleId?.match(/src\/cli\/commands\/([\w-]+)\.ts$/)?.[1];
    if (name) commands[name] = [...sourcesOf(chunks, chunk.fileName, true)].filter((f) => !inputs.has(f)).sort();
  }
  const node = realpathSync(process.execPath);
  const snapshot = await bundleSnapshot().catch((e: unknown) => {
    console.warn(`vanthu: the verify snapshot was not bundled: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
    return undefined;
  });
  hash.update(node).update(process.version).update(snapshot?.code ?? '');
  for (const file of WARMUP_FILES) hash.update(readFileSync(file));
  const id = hash.digest('hex').slice(0, 16);
  const tmp = join(CLI_DIST, `.tmp-${process.pid}-${builtAt}`);
  for (const file of output) {
    const path = join(tmp, file.fileName);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.type === 'chunk' ? file.code : file.source);
  }
  const hasSnapshot = snapshot !== undefined && buildSnapshotBlob(tmp, snapshot);
  try {
    renameSync(tmp, join(CLI_DIST, id));
  } catch {
    rmSync(tmp, { recursive: true, force: true }); // the same build is already in place
  }
  // The blob counts as built when this build started (the same sources give the same blob): a source
  // saved during the build still makes it stale for the launcher.
  if (hasSnapshot) utimesSync(join(CLI_DIST, id, 'verify.blob'), builtAt / 1000, builtAt / 1000);
  // The ESM loader looks up the package scope of every chunk: a package.json next to the builds ends
  // that walk there instead of parsing the project's own package.json.
  writeFileSync(join(CLI_DIST, 'package.json'), '{ "type": "module" }\n');
  const manifest: CliManifest = {
    id, entry: `${id}/main.js`, builtAt, inputs: [...inputs].sort(), commands,
    ...(hasSnapshot ? { snapshot: { blob: `${id}/verify.blob`, node, inputs: snapshot.inputs } } : {}),
  };
  const manifestTmp = `${CLI_MANIFEST}.${process.pid}`;
  writeFileSync(manifestTmp, JSON.stringify(manifest, null, 1));
  renameSync(manifestTmp, CLI_MANIFEST);
  writeSnapshotSh(manifest);
  pruneOldBuilds(id);
  return manifest;
}

if (import.meta.main) {
  const m = await buildCli();
  console.log(`vanthu CLI bundle: ${relative(process.cwd(), join(CLI_DIST, m.entry))} (${new Set([...m.inputs, ...Object.values(m.commands).flat()]).size} source files)`);
}
