import type { Kysely } from 'kysely';
import { afterAll, beforeAll } from 'vitest';
import type { DatabaseHandle, DB } from '../platform/db/client.ts';
import type { Config } from '../platform/config.ts';
import type { AppDeps } from '../platform/deps.ts';
import { createApp } from '../platform/http/app.ts';
import { createTestDb } from './db.ts';
import { makeDeps } from './factories.ts';

/** The database of one test file (or describe block), set once its beforeAll ran. */
export type TestDb = { handle: DatabaseHandle; db: Kysely<DB> };

/** A test database with the dependencies and the app on it, set once its beforeAll ran. */
export type TestApp = TestDb & { deps: AppDeps; app: ReturnType<typeof createApp> };

/**
 * A fresh test database for the tests of one file or describe block: `const t = useTestDb();` then `t.db`.
 * Registers the beforeAll that opens it and the afterAll that closes it; a beforeAll registered after
 * this call runs after it, and an afterAll registered after it runs before the database closes.
 */
export function useTestDb(): TestDb {
  const t = {} as TestDb;
  beforeAll(async () => {
    t.handle = await createTestDb();
    t.db = t.handle.db;
  });
  afterAll(async () => t.handle?.close());
  return t;
}

/**
 * useTestDb with test dependencies over the database (`overrides` go to makeDeps) and the app on them:
 * `const t = useTestApp();` then `t.db`, `t.deps`, `t.app` in the tests.
 */
export function useTestApp(overrides: Partial<Config> = {}): TestApp {
  const t = useTestDb() as TestApp;
  beforeAll(async () => {
    t.deps = await makeDeps(t.db, overrides);
    t.app = createApp(t.deps);
  });
  return t;
}
