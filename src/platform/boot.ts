import { mkdir } from 'node:fs/promises';
import { loadConfig, type Config } from './config.ts';
import { createLogger } from './logger.ts';
import { openDatabase } from './db/client.ts';
import { pgliteHolder } from './db/pglite-holder.ts';
import { databaseInUseBy, databaseOpenFailed } from './db/db.errors.ts';
import { migrateToLatest } from './db/migrate.ts';
import { createBlobStore } from './blobs/blobs.ts';
import type { AppDeps } from './deps.ts';

export type Booted = { deps: AppDeps; close: () => Promise<void> };

/**
 * Opens what the server and the CLI act on: the same database (PGlite under DATA_DIR, or DATABASE_URL),
 * migrated to the latest schema, and the blob store. Throws ConfigError for a bad environment.
 */
export async function boot(options: { config?: Config; migrate?: boolean; logLevel?: string } = {}): Promise<Booted> {
  const config = options.config ?? loadConfig();
  await mkdir(config.dataDir, { recursive: true });
  const logger = createLogger(options.logLevel ?? config.logLevel);
  // Two processes writing one embedded database corrupt it (a second `npm start`, a CLI command beside the server)
  if (!config.databaseUrl) {
    const holder = await pgliteHolder(config);
    if (typeof holder === 'number') throw databaseInUseBy(config.pgliteDir, holder);
  }
  const handle = await openDatabase(config.databaseUrl ? { url: config.databaseUrl } : { dataDir: config.pgliteDir }).catch((error: unknown) => {
    // PGlite aborts with a WebAssembly trace on a damaged directory: say what it means and what to do
    throw config.databaseUrl ? error : databaseOpenFailed({ pgliteDir: config.pgliteDir }, { message: `${databaseOpenFailed.message} (Thư mục: ${config.pgliteDir}.)`, cause: error });
  });
  if (options.migrate !== false) await migrateToLatest(handle.db);
  const deps: AppDeps = { config, db: handle.db, blobs: createBlobStore(config.blobDir), logger };
  return { deps, close: handle.close };
}
