import { existsSync } from 'node:fs';
import { readdir, readlink } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.ts';

/**
 * The process that has the embedded database of this DATA_DIR open: none when PGlite's postmaster.pid
 * is absent (removed on a clean close); else, on Linux, the process holding one of its files (a
 * postmaster.pid left by a killed server holds none); elsewhere 'unknown', taken as open.
 */
export async function pgliteHolder(config: Pick<Config, 'pgliteDir'>): Promise<number | 'unknown' | null> {
  if (!existsSync(path.join(config.pgliteDir, 'postmaster.pid'))) return null;
  if (!existsSync('/proc/self/fd')) return 'unknown';
  const prefix = path.resolve(config.pgliteDir) + path.sep;
  for (const pid of (await readdir('/proc')).filter((n) => /^\d+$/.test(n))) {
    const fds = await readdir(`/proc/${pid}/fd`).catch(() => []);
    for (const fd of fds) {
      const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
      if (target.startsWith(prefix) && !target.endsWith(' (deleted)')) return Number(pid);
    }
  }
  return null;
}
