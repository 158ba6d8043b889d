/**
 * Entry of the `vanthu verify` V8 startup snapshot. scripts/build-cli.ts bundles this file into one
 * CommonJS script and runs `node --snapshot-blob verify.blob --build-snapshot` on it; the shell part of
 * bin/vanthu.js then starts `vanthu verify …` as `node --snapshot-blob verify.blob verify …`. Node then
 * deserializes a heap where the verifier's modules and the built-ins they use (crypto, zlib, net…) are
 * already loaded and evaluated, instead of resolving, linking and compiling ~60 modules at each start.
 *
 * While the snapshot is built, one offline verification of a B-LTA fixture (VANTHU_SNAPSHOT_WARMUP:
 * the PDF and its root certificate, scripts/snapshot/) runs, so the functions of every verification
 * step are compiled into the snapshot too (V8 keeps their bytecode). Crypto objects cannot be in a
 * snapshot, so the memo of parsed certificates and the revocation cache are emptied afterwards.
 */
import { startupSnapshot } from 'node:v8';
import { reportCliError } from './cli.errors.ts';
import { disableCompileCache, run } from './commands/verify.ts';
import { clearCertCache } from '../domain/signing/pki/pki.cert.ts';
import { defaultRevocationCache } from '../domain/signing/pki/revocation.ts';

// Loaded now so they are in the snapshot: online checks use node:net (verify.http.ts takes it lazily).
process.getBuiltinModule('node:net');

async function warmUp(pdf: string, root: string): Promise<void> {
  const log = console.log;
  console.log = () => {}; // no stdout stream in the snapshot
  try {
    await run(['--help']);
    await run(['--offline', '--json', '--trust', root, pdf]);
  } finally {
    console.log = log;
    clearCertCache();
    defaultRevocationCache.clear();
  }
}

disableCompileCache();
const warmup = process.env.VANTHU_SNAPSHOT_WARMUP;
if (warmup) void warmUp(`${warmup}/warmup.pdf`, `${warmup}/warmup-root.der`);

startupSnapshot.setDeserializeMainFunction(async () => {
  const [name, ...args] = process.argv.slice(1);
  try {
    if (name !== 'verify') throw new Error(`this snapshot runs "vanthu verify" only, not "${name ?? ''}"`);
    process.exitCode = await run(args);
  } catch (error) {
    process.exitCode = reportCliError(error);
  }
});
