import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../platform/db/client.ts';
import { migrateToLatest } from '../platform/db/migrate.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplatePath: string;
    pgTemplateDb: string;
  }
}

/**
 * Migrates the schema once per test run: a PGlite data-directory dump that each test database loads,
 * and, when TEST_DATABASE_URL is set, a PostgreSQL template database (CREATE DATABASE … TEMPLATE).
 */
export default async function setup(project: TestProject) {
  const dir = await mkdtemp(path.join(tmpdir(), 'vanthu-test-'));
  const handle = await openDatabase({});
  await migrateToLatest(handle.db);
  const dump = await handle.pglite?.dumpDataDir('gzip');
  await handle.close();
  const templatePath = path.join(dir, 'pglite-template.tar.gz');
  if (dump) await writeFile(templatePath, Buffer.from(await dump.arrayBuffer()));
  project.provide('pgliteTemplatePath', templatePath);

  const url = process.env.TEST_DATABASE_URL;
  let templateDb = '';
  if (url) {
    templateDb = `vanthu_tpl_${process.pid}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`drop database if exists ${templateDb}`);
    await admin.query(`create database ${templateDb}`);
    await admin.end();
    const target = new URL(url);
    target.pathname = `/${templateDb}`;
    const tpl = await openDatabase({ url: target.href });
    await migrateToLatest(tpl.db);
    await tpl.close();
  }
  project.provide('pgTemplateDb', templateDb);

  return async () => {
    await rm(dir, { recursive: true, force: true });
    if (url && templateDb) {
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      const { rows } = await admin.query<{ datname: string }>(`select datname from pg_database where datname like 't\\_${process.pid}\\_%' or datname = $1`, [templateDb]);
      for (const r of rows) await admin.query(`drop database if exists ${r.datname} with (force)`);
      await admin.end();
    }
  };
}
