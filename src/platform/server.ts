import { serve, type ServerType } from '@hono/node-server';
import { createApp } from './http/app.ts';
import { startWorker, type Worker } from './jobs/jobs.ts';
import { ALL_JOBS } from './jobs/registry.ts';
import type { AppDeps } from './deps.ts';

/** How long the server keeps an idle keep-alive connection open. */
const KEEP_ALIVE_MS = 65_000;

export type RunningServer = { url: string; port: number; stop: () => Promise<void>; worker: Worker };

/** Starts the HTTP server and the job worker; `stop` drains both. */
export async function startServer(deps: AppDeps, options: { port?: number; host?: string; worker?: boolean } = {}): Promise<RunningServer> {
  const app = createApp(deps);
  const worker = startWorker({ deps, jobs: ALL_JOBS, autoStart: options.worker !== false });
  const port = options.port ?? deps.config.port;
  const host = options.host ?? deps.config.host;
  const server = await new Promise<ServerType & { address: () => unknown }>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port, hostname: host }, () => resolve(s as never));
    s.once('error', reject);
  });
  // An idle keep-alive connection is closed by the server only after the clients and proxies in front of
  // it would have closed it themselves (nginx and most load balancers: 60 s). Node's default, 5 s, races
  // them: a request sent on a connection the server is closing at that moment fails with ECONNRESET.
  Object.assign(server, { keepAliveTimeout: KEEP_ALIVE_MS, headersTimeout: KEEP_ALIVE_MS + 1000 });
  const address = server.address() as { port: number };
  return {
    url: `http://${host === '0.0.0.0' ? 'localhost' : host}:${address.port}`,
    port: address.port,
    worker,
    stop: async () => {
      await worker.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
