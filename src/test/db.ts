import { readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../platform/db/client.ts';

/**
 * A fresh, migrated database for one test file: PGlite loaded from the run's template dump, or — when
 * TEST_DATABASE_URL is set — a new PostgreSQL database created from the run's template database.
 * Real databases, never mocks (house style). Call `close()` in afterAll.
 */
export async function createTestDb(): Promise<DatabaseHandle> {
  const url = process.env.TEST_DATABASE_URL;
  if (url && inject('pgTemplateDb')) {
    const { name, url: databaseUrl } = await copyTemplatePgDatabase(url, `t_${process.ppid}`);
    const handle = await openDatabase({ url: databaseUrl });
    return { ...handle, close: async () => { await handle.close(); await dropPgDatabases(url, [name]); } };
  }
  return openDatabase({ loadDataDir: await pgliteTemplate() });
}

/** The run's migrated PGlite data directory, as the dump global-setup made. */
async function pgliteTemplate(): Promise<Blob> {
  return new Blob([await readFile(inject('pgliteTemplatePath'))]);
}

/**
 * Fills a server's or a CLI's PGlite directory (DATA_DIR/pglite) with the run's migrated template, as it is
 * after a first start: a process booted on it skips PGlite's initdb and the migrations (about 5 s of CPU each).
 * For the tests of something else than a first start (those keep an empty directory).
 */
export async function prefillPgliteDir(pgliteDir: string): Promise<void> {
  const handle = await openDatabase({ dataDir: pgliteDir, loadDataDir: await pgliteTemplate() });
  await handle.close();
}

/** A new PostgreSQL database beside `adminUrl`, copied from the run's migrated template database. Drop it with `dropPgDatabases`. */
export async function copyTemplatePgDatabase(adminUrl: string, prefix: string): Promise<{ name: string; url: string }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    // CREATE DATABASE … TEMPLATE needs the template to have no other connections; retry briefly if another file is copying it.
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`create database ${name} template ${inject('pgTemplateDb')}`);
        break;
      } catch (error) {
        if (attempt > 20) throw error;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
  } finally {
    await admin.end();
  }
  const target = new URL(adminUrl);
  target.pathname = `/${name}`;
  return { name, url: target.href };
}

/** A new, empty PostgreSQL database beside `adminUrl`, for a process that migrates it itself. Drop it with `dropPgDatabases`. */
export async function createEmptyPgDatabase(adminUrl: string, prefix: string): Promise<{ name: string; url: string }> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const target = new URL(adminUrl);
  target.pathname = `/${name}`;
  return { name, url: target.href };
}

/** Drops the named databases (closing their connections first). */
export async function dropPgDatabases(adminUrl: string, names: string[]): Promise<void> {
  if (names.length === 0) return;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    for (const name of names) await admin.query(`drop database if exists ${name} with (force)`);
  } finally {
    await admin.end();
  }
}
