/**
 * Where the single-file signing agent puts its native addon: a Node SEA cannot load an addon from
 * inside itself, so koffi.node is written once to a per-user cache folder (%LOCALAPPDATA%\vanthu on
 * Windows, $XDG_CACHE_HOME/vanthu or ~/.cache/vanthu elsewhere) under its SHA-256, checked again
 * before each load (a file changed on disk is written again).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The cache folder for the addon. */
export function addonCacheDir(platform = process.platform, env = process.env): string {
  if (platform === 'win32') return join(env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'vanthu');
  return join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'vanthu');
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Writes `addon` to the cache (unless the same bytes are there) and returns its path. */
export function cachedAddon(addon: Uint8Array, dir = addonCacheDir()): string {
  const hash = sha256(addon);
  const path = join(dir, `koffi-${hash}.node`);
  try {
    if (sha256(readFileSync(path)) === hash) return path;
  } catch {
    // not written yet
  }
  mkdirSync(dir, { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, addon);
  renameSync(tmp, path); // another agent starting at the same time writes the same bytes
  return path;
}

