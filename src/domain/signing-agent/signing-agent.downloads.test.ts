import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { describe, expect, test } from 'vitest';
import type { AppEnv } from '../../platform/http/context.ts';
import { handleError } from '../../platform/http/errors.ts';
import { agentDownloadRoutes } from './signing-agent.downloads.ts';

function server(files: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'vanthu-agent-dist-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  mkdirSync(join(dir, 'vanthu-ky-so-linux-x64')); // a folder under a served name is not a download
  return new Hono<AppEnv>().onError(handleError).route('/downloads', agentDownloadRoutes(dir));
}

describe('downloading the signing agent from the vanthu server', () => {
  test('the built Windows executable is sent as an attachment; HEAD tells the web dialog it is there', async () => {
    const app = server({ 'vanthu-ky-so-win-x64.exe': 'MZ-agent' });
    const head = await app.request('/downloads/vanthu-ky-so-win-x64.exe', { method: 'HEAD' });
    expect(head.status).toBe(200);
    const answer = await app.request('/downloads/vanthu-ky-so-win-x64.exe');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-disposition')).toBe('attachment; filename="vanthu-ky-so-win-x64.exe"');
    expect(answer.headers.get('content-type')).toBe('application/octet-stream');
    expect(await answer.text()).toBe('MZ-agent');
  });

  test('not built yet, another file of the folder or a path outside it: 404 signing_agent.not_built', async () => {
    const app = server({ SHA256SUMS: 'x', 'secret.txt': 'x' });
    for (const path of ['/downloads/vanthu-ky-so-win-x64.exe', '/downloads/vanthu-ky-so-linux-x64', '/downloads/SHA256SUMS', '/downloads/..%2Fsecret.txt']) {
      const answer = await app.request(path);
      expect(answer.status, path).toBe(404);
      expect(((await answer.json()) as { error: { code: string } }).error.code, path).toBe('signing_agent.not_built');
    }
  });
});
