import http from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDb } from '../test/db.ts';
import { makeDeps } from '../test/factories.ts';
import type { DatabaseHandle } from './db/client.ts';
import { startServer, type RunningServer } from './server.ts';

let handle: DatabaseHandle;
let server: RunningServer;

beforeAll(async () => {
  handle = await createTestDb();
  server = await startServer(await makeDeps(handle.db), { port: 0, host: '127.0.0.1', worker: false });
});
afterAll(async () => {
  await server?.stop();
  await handle.close();
});

/** GET `path` through `agent`; whether the request went out on a connection the agent already had open. */
function get(agent: http.Agent, path: string): Promise<{ status: number; isReused: boolean }> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${server.url}${path}`, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, isReused: req.reusedSocket }));
    });
    req.on('error', reject);
  });
}

describe('the HTTP server', () => {
  // Node closes an idle keep-alive connection after 5 s by default; a client (a proxy, a test's API client)
  // that sends on it at that moment gets ECONNRESET. The server waits longer than the clients in front of it.
  test('keeps an idle keep-alive connection open longer than Node\'s 5 seconds: a request 6 s later goes out on the same connection', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      expect(await get(agent, '/api/public/info')).toEqual({ status: 200, isReused: false });
      await new Promise((resolve) => setTimeout(resolve, 6000));
      expect(await get(agent, '/api/public/info')).toEqual({ status: 200, isReused: true });
    } finally {
      agent.destroy();
    }
  }, 20_000);
});
