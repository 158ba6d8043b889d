/**
 * `npm run build:cli`: bundles the `vanthu` command (src/cli/main.ts) into plain minified ESM under
 * dist/cli/<id>/, so a run does not type-strip and resolve ~100 source modules at start-up. Each
 * subcommand stays its own chunk (loaded only when that command runs), and packages with native code
 * or data files (pkcs11js, pg, PGlite, hono, pdf.js…) stay external, loaded from node_modules as before.
 *
 * dist/cli/current.json names the current build and lists its source inputs with the build time;
 * bin/vanthu.js compares their mtimes with it and rebuilds (through buildCli) when one is newer.
 * Builds are written to a temporary folder and renamed into place, so concurrent runs never load a
 * half-written bundle.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { rolldown } from 'rolldown';

const ROOT = join(import.meta.dirname, '..');
export const CLI_DIST = join(ROOT, 'dist', 'cli');
export const CLI_MANIFEST = join(CLI_DIST, 'current.json');

/** Pure-JS packages the verifier and signer use: bundled, so their modules need no resolution at run time. */
const BUNDLED_PACKAGES = ['@peculiar/', 'asn1js', 'pkijs', 'pvtsutils', 'pvutils', 'tslib', 'bytestreamjs', 'zod'];

/** Files whose change makes a build stale, besides the bundled source modules. */
const EXTRA_INPUTS = ['scripts/build-cli.ts', 'package-lock.json'];

/**
 * `inputs` are the files every command loads; `commands[name]` those that `vanthu name` may load
 * (its chunk and everything that chunk imports, statically or lazily).
 */
export type CliManifest = { id: string; entry: string; builtAt: number; inputs: string[]; commands: Record<string, string[]> };

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

/** Removes builds older than an hour other than `keep` (a running process may still load chunks of a recent one). */
function pruneOldBuilds(keep: string): void {
  for (const name of readdirSync(CLI_DIST)) {
    const path = join(CLI_DIST, name);
    if (name === keep || name === 'current.json') continue;
    if (Date.now() - statSync(path).mtimeMs > 3_600_000 || name.startsWith('.tmp-')) rmSync(path, { recursive: true, force: true });
  }
}

/** Builds the CLI bundle and makes it current. Returns its manifest. */
export async function buildCli(): Promise<CliManifest> {
  const builtAt = Date.now();
  const bundle = await rolldown({ input: join(ROOT, 'src', 'cli', 'main.ts'), platform: 'node', external: isExternal, logLevel: 'silent' });
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
  const id = hash.digest('hex').slice(0, 16);
  const tmp = join(CLI_DIST, `.tmp-${process.pid}-${builtAt}`);
  for (const file of output) {
    const path = join(tmp, file.fileName);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.type === 'chunk' ? file.code : file.source);
  }
  try {
    renameSync(tmp, join(CLI_DIST, id));
  } catch {
    rmSync(tmp, { recursive: true, force: true }); // the same build is already in place
  }
  const manifest: CliManifest = { id, entry: `${id}/main.js`, builtAt, inputs: [...inputs].sort(), commands };
  const manifestTmp = `${CLI_MANIFEST}.${process.pid}`;
  writeFileSync(manifestTmp, JSON.stringify(manifest, null, 1));
  renameSync(manifestTmp, CLI_MANIFEST);
  pruneOldBuilds(id);
  return manifest;
}

if (import.meta.main) {
  const m = await buildCli();
  console.log(`vanthu CLI bundle: ${relative(process.cwd(), join(CLI_DIST, m.entry))} (${new Set([...m.inputs, ...Object.values(m.commands).flat()]).size} source files)`);
}
