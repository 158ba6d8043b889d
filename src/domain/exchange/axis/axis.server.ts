import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createBlobStore } from '../../../platform/blobs/blobs.ts';
import { loadConfig } from '../../../platform/config.ts';
import { openDatabase } from '../../../platform/db/client.ts';
import { migrateToLatest } from '../../../platform/db/migrate.ts';
import type { AppDeps } from '../../../platform/deps.ts';
import { startWorker, type Worker } from '../../../platform/jobs/jobs.ts';
import { createLogger } from '../../../platform/logger.ts';
import { bodyLogOf } from './axis.bodylog.ts';
import { sealClearSecrets } from './axis.directory.ts';
import { makeAxisJobs, schedulePruneBodies, type ParentAxis } from './axis.jobs.ts';
import { startParentSync, type ParentSync } from './axis.parent.ts';
import { createAxisApp } from './axis.routes.ts';

export type AxisServerOptions = {
  /** Blobs always live here; the embedded database too unless `databaseUrl` is given. */
  dataDir: string;
  databaseUrl?: string;
  port?: number;
  host?: string;
  basePath?: string;
  parent?: ParentAxis;
  /** This axis's code, written in TraceHeaders (default: the parent system id, else "VXP"). */
  axisCode?: string;
  logLevel?: string;
  pollMs?: number;
  /** Run the worker and the parent exchange on timers (default true; tests call runOnce instead). */
  autoStart?: boolean;
  maxPackageBytes?: number;
  /**
   * Drop package bodies this many days old once every delivery is finished (axis.retention.ts; the
   * package rows stay), checked every hour. Unset: bodies are kept forever.
   */
  bodyRetentionDays?: number;
};

export type RunningAxis = {
  url: string; endpoint: string; port: number; deps: AppDeps; worker: Worker; sync?: ParentSync; stop: () => Promise<void>;
};

/** Opens the axis's own database (migrated) and blob store under `dataDir`. */
export async function openAxisDeps(options: { dataDir: string; databaseUrl?: string; logLevel?: string }): Promise<{ deps: AppDeps; close: () => Promise<void> }> {
  const config = loadConfig({ DATA_DIR: options.dataDir, DATABASE_URL: options.databaseUrl, LOG_LEVEL: options.logLevel ?? 'info' });
  await mkdir(config.dataDir, { recursive: true });
  const handle = await openDatabase(config.databaseUrl ? { url: config.databaseUrl } : { dataDir: config.pgliteDir });
  await migrateToLatest(handle.db);
  await sealClearSecrets({ db: handle.db, dataDir: config.dataDir });
  const logger = createLogger(config.logLevel).child({ service: 'vanthu-axis' });
  return { deps: { config, db: handle.db, blobs: createBlobStore(config.blobDir), logger }, close: handle.close };
}

/**
 * Starts a document axis: the SDK-protocol HTTP server at `<basePath>` (default /vxp), the forwarding
 * worker and, with `parent`, the exchange with the parent axis. `stop` drains all and closes the database.
 */
export async function startAxisServer(options: AxisServerOptions): Promise<RunningAxis> {
  const { deps, close } = await openAxisDeps(options);
  return startAxisWith(deps, close, options);
}

/** Starts an axis on already opened dependencies (tests bring a per-file test database). */
export async function startAxisWith(deps: AppDeps, close: () => Promise<void>, options: Omit<AxisServerOptions, 'dataDir' | 'databaseUrl'>): Promise<RunningAxis> {
  await sealClearSecrets({ db: deps.db, dataDir: deps.config.dataDir });
  const axisCode = options.axisCode ?? options.parent?.systemId ?? 'VXP';
  const ctx = { deps, axisCode, hasParent: options.parent !== undefined };
  const app = createAxisApp({ ...ctx, basePath: options.basePath, maxPackageBytes: options.maxPackageBytes });
  const jobs = makeAxisJobs({ parent: options.parent, axisCode, bodyRetentionDays: options.bodyRetentionDays });
  if (options.bodyRetentionDays !== undefined) await schedulePruneBodies(deps.db);
  // Without a parent or a body retention there is no job to run: no queue poll every second.
  const worker = startWorker({ deps, jobs, pollMs: options.pollMs ?? 1000, autoStart: jobs.length > 0 ? options.autoStart : false });
  const sync = options.parent ? startParentSync(ctx, options.parent, { pollMs: options.pollMs ?? 5000, autoStart: options.autoStart }) : undefined;
  const host = options.host ?? '127.0.0.1';
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: options.port ?? 8181, hostname: host }, () => resolve(s));
    s.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  return {
    url, port, deps, worker, sync, endpoint: `${url}${(options.basePath ?? '/vxp').replace(/\/+$/, '')}`,
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await sync?.stop();
      await worker.stop();
      await bodyLogOf(deps).close(); // its appends under way finish first
      await close();
    },
  };
}
