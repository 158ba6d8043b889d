import type { Kysely } from 'kysely';
import { afterAll, beforeAll } from 'vitest';
import type { DatabaseHandle, DB } from '../platform/db/client.ts';
import type { Config } from '../platform/config.ts';
import type { AppDeps } from '../platform/deps.ts';
import { createApp } from '../platform/http/app.ts';
import { createTestDb } from './db.ts';
import { makeDeps } from './factories.ts';

/** The database, dependencies and app of one test file, set once its beforeAll ran. */
export type TestApp = {
  handle: DatabaseHandle;
  db: Kysely<DB>;
  deps: AppDeps;
  app: ReturnType<typeof createApp>;
};

/**
 * A fresh test database, test dependencies over it (`overrides` go to makeDeps) and the app on them,
 * for the tests of one file: `const t = useTestApp();` then `t.db`, `t.deps`, `t.app` in the tests.
 * Registers the beforeAll that fills them in and the afterAll that closes the database; a file's own
 * beforeAll registered after this call runs after it, and its own afterAll before the database closes.
 */
export function useTestApp(overrides: Partial<Config> = {}): TestApp {
  const t = {} as TestApp;
  beforeAll(async () => {
    t.handle = await createTestDb();
    t.db = t.handle.db;
    t.deps = await makeDeps(t.db, overrides);
    t.app = createApp(t.deps);
  });
  afterAll(async () => t.handle?.close());
  return t;
}
