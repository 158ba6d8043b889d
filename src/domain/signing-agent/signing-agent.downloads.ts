/**
 * `GET /downloads/<file>`: the single-file signing agent for leaders to download from the vanthu server,
 * straight from dist/signing-agent (`npm run build:signing-agent`). Only the built executables are
 * served, and only when the build is there (404 otherwise — the web sign dialog then shows no link).
 */
import { createReadStream, statSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Hono } from 'hono';
import { agentNotBuilt } from './signing-agent.errors.ts';

/** Where `npm run build:signing-agent` writes the executables. */
export const AGENT_DIST = join(import.meta.dirname, '..', '..', '..', 'dist', 'signing-agent');

/** The files that may be downloaded (what scripts/build-signing-agent.ts builds). */
export const AGENT_FILES = ['vanthu-ky-so-win-x64.exe', 'vanthu-ky-so-linux-x64'] as const;

/** The routes, mounted at /downloads; `dir` is the build folder. */
export function agentDownloadRoutes(dir = AGENT_DIST) {
  return new Hono().get('/:file', (c) => {
    const file = c.req.param('file');
    const size = (AGENT_FILES as readonly string[]).includes(file) ? sizeOf(join(dir, file)) : undefined;
    if (size === undefined) throw agentNotBuilt({ file });
    c.header('Content-Type', 'application/octet-stream');
    c.header('Content-Disposition', `attachment; filename="${file}"`);
    c.header('Content-Length', String(size));
    c.header('Cache-Control', 'no-cache'); // a new build replaces the file under the same name
    if (c.req.method === 'HEAD') return c.body(null, 200);
    return c.body(Readable.toWeb(createReadStream(join(dir, file))) as ReadableStream, 200);
  });
}

function sizeOf(path: string): number | undefined {
  try {
    const stat = statSync(path);
    return stat.isFile() ? stat.size : undefined;
  } catch {
    return undefined;
  }
}
