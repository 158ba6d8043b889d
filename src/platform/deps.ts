import type { Kysely } from 'kysely';
import type { DB } from './db/client.ts';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import type { BlobStore } from './blobs/blobs.ts';

/** What the server, jobs and CLI share: built once at start (tests build their own). */
export type AppDeps = {
  config: Config;
  db: Kysely<DB>;
  blobs: BlobStore;
  logger: Logger;
};
