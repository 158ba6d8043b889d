import { serve, type ServerType } from '@hono/node-server';
import { createApp } from './http/app.ts';
import { startWorker, type Worker } from './jobs/jobs.ts';
import { ALL_JOBS } from './jobs/registry.ts';
import { serverPortInUse } from './server.errors.ts';
import type { AppDeps } from './deps.ts';

export type RunningServer = { url: string; port: number; stop: () => Promise<void>; worker: Worker };

/** Starts the HTTP server and the job worker; `stop` drains both. */
export async function startServer(deps: AppDeps, options: { port?: number; host?: string; worker?: boolean } = {}): Promise<RunningServer> {
  const app = createApp(deps);
  const port = options.port ?? deps.config.port;
  const host = options.host ?? deps.config.host;
  const server = await new Promise<ServerType & { address: () => unknown }>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port, hostname: host }, () => resolve(s as never));
    s.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE' ? serverPortInUse({ host, port }, { cause: error }) : error));
  });
  // the jobs start once the server listens: a server that cannot listen does no work on the database
  const worker = startWorker({ deps, jobs: ALL_JOBS, autoStart: options.worker !== false });
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
