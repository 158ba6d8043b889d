/** Writing a signed file: never a half-written output (temp file in the same directory, fsync, rename). */
import { open, rename, rm } from 'node:fs/promises';
import { outputFailed } from './signing.errors.ts';

/** Writes parts to `path` via a temp file in the same directory and a rename. Throws `signing.output_failed`. */
export async function writeAtomically(path: string, parts: Uint8Array[]): Promise<number> {
  const temp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    const handle = await open(temp, 'w');
    try {
      await handle.writev(parts);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
    return parts.reduce((n, p) => n + p.length, 0);
  } catch (error) {
    await rm(temp, { force: true });
    throw outputFailed({ path }, { cause: error });
  }
}
