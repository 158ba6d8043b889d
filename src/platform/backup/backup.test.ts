import { mkdtemp, readFile, rm, unlink, writeFile, mkdir, readdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import pg from 'pg';
import { create as tarCreate, extract as tarExtract } from 'tar';
import { openDatabase, type DatabaseHandle } from '../db/client.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { loadConfig, type Config } from '../config.ts';
import { createEmptyPgDatabase, createTestDb, dropPgDatabases } from '../../test/db.ts';
import { makeAgency, makeDeps, makeUser } from '../../test/factories.ts';
import { storeUpload } from '../../domain/files/files.service.ts';
import { receiveExternalDocument } from '../../domain/incoming/incoming.service.ts';
import { makeTextPdf } from '../../domain/incoming/incoming.testing.ts';
import { sealSecret } from '../../domain/certificates/certificates.secrets.ts';
import type { AppDeps } from '../deps.ts';
import { assertPgliteClosed, createBackup, restoreBackup, verifyBackup, type BackupManifest } from './backup.ts';

const adminUrl = process.env.TEST_DATABASE_URL;
const engine = adminUrl ? 'PostgreSQL' : 'PGlite';
const pgNames: string[] = [];
const dirs: string[] = [];
const tempDir = async (label: string) => {
  const dir = await mkdtemp(path.join(tmpdir(), `vanthu-backup-${label}-`));
  dirs.push(dir);
  return dir;
};

/** A migrated source database: an in-memory PGlite, or a new PostgreSQL database whose URL pg_dump reads. */
async function sourceDatabase(): Promise<{ handle: DatabaseHandle; url?: string }> {
  if (!adminUrl) return { handle: await createTestDb() };
  const { name, url } = await createEmptyPgDatabase(adminUrl, 'backup_src');
  pgNames.push(name);
  const handle = await openDatabase({ url });
  await migrateToLatest(handle.db);
  return { handle, url };
}

/** The configuration of a fresh install to restore into (a new DATA_DIR; an empty PostgreSQL database). */
async function freshTarget(label: string): Promise<Config> {
  const dataDir = path.join(await tempDir(label), 'data');
  if (!adminUrl) return loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  const { name, url } = await createEmptyPgDatabase(adminUrl, 'backup_dst');
  pgNames.push(name);
  return loadConfig({ DATA_DIR: dataDir, DATABASE_URL: url, LOG_LEVEL: 'silent' });
}

/** Rewrites an archive after `change` edits its extracted contents. */
async function rewrite(file: string, change: (dir: string) => Promise<void>): Promise<string> {
  const dir = await tempDir('edit');
  await tarExtract({ file, cwd: dir });
  await change(dir);
  const out = path.join(await tempDir('edited'), path.basename(file));
  await tarCreate({ file: out, cwd: dir, portable: true }, await readdir(dir));
  return out;
}

describe(`backup and restore (${engine})`, () => {
  let source: { handle: DatabaseHandle; url?: string };
  let deps: AppDeps;
  let archive: string;
  let pdf: Uint8Array;
  let blobSha: string;
  let ids: { agency: string; user: string; incoming: string };

  beforeAll(async () => {
    source = await sourceDatabase();
    deps = await makeDeps(source.handle.db, source.url ? { databaseUrl: source.url } : {});
    dirs.push(deps.config.dataDir);
    const agency = await makeAgency(source.handle.db, { name: 'Sở Sao lưu' });
    const user = await makeUser(source.handle.db, { agencyId: agency.id, roles: ['clerk'], username: `saoluu_${Date.now()}` });
    pdf = await makeTextPdf(['Công văn cần sao lưu']);
    const file = await storeUpload(deps, { source: pdf, fileName: 'cong-van.pdf' });
    blobSha = file.sha256;
    const incoming = await source.handle.db.transaction().execute((tx) => receiveExternalDocument(tx, {
      recipientAgencyId: agency.id, documentId: 'sao-luu-1', sender: { code: '000.00.99.G01', name: 'Bộ Thử nghiệm' },
      metadata: { number: 7, notation: 'SL-BK', documentDate: '2026-12-01', typeCode: 'cong_van', subject: 'Về việc sao lưu dữ liệu', urgency: 'thuong', secrecy: 'thuong', signerName: '', signerPosition: '' },
      files: [{ ...file, kind: 'main' }],
    }));
    ids = { agency: agency.id, user: user.user.id, incoming: incoming.id };
    await sealSecret(deps.config.dataDir, 'bí mật trục');
    await mkdir(deps.config.outboxDir, { recursive: true });
    await writeFile(path.join(deps.config.outboxDir, 'thu-1.eml'), 'Subject: thư chờ gửi\r\n\r\nNội dung');
    const made = await createBackup({ config: deps.config, handle: source.handle, outDir: await tempDir('out') });
    archive = made.file;
  });
  afterAll(async () => {
    await source?.handle.close();
    if (adminUrl) await dropPgDatabases(adminUrl, pgNames);
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  test('an archive is one tar file whose manifest names the database, the last migration and every part with its SHA-256', async () => {
    expect(path.basename(archive)).toMatch(/^vanthu-backup-\d{8}-\d{6}\.tar$/);
    const { manifest, problems } = await verifyBackup(archive);
    expect(problems).toEqual([]);
    expect(manifest.database).toBe(adminUrl ? 'postgres' : 'pglite');
    expect(manifest.migration).toMatch(/^2026_/);
    expect(manifest.blobs.map((b) => b.sha256)).toContain(blobSha);
    expect(manifest.parts.map((p) => p.path)).toEqual(expect.arrayContaining(['data/keys/secret.key', 'data/outbox/thu-1.eml']));
    expect(manifest.parts.every((p) => /^[0-9a-f]{64}$/.test(p.sha256))).toBe(true);
  });

  test('restored into a fresh install, the rows, the PDF bytes, the key and the mail read the same, and the report counts them', async () => {
    const target = await freshTarget('restore');
    const report = await restoreBackup({ file: archive, config: target });
    expect(report.problems).toEqual([]);
    expect(report.counts).toMatchObject({ agencies: expect.any(Number), users: expect.any(Number), incoming: expect.any(Number), blobs: expect.any(Number) });
    expect(report.counts.incoming).toBeGreaterThanOrEqual(1);
    const restored = await openDatabase(target.databaseUrl ? { url: target.databaseUrl } : { dataDir: target.pgliteDir });
    try {
      const row = (db: DatabaseHandle['db']) => db.selectFrom('incomingDocument').select(['subject', 'notation', 'agencyId']).where('id', '=', ids.incoming).executeTakeFirst();
      expect(await row(restored.db)).toEqual(await row(source.handle.db));
      expect(await row(restored.db)).toMatchObject({ subject: 'Về việc sao lưu dữ liệu', agencyId: ids.agency });
      const user = await restored.db.selectFrom('appUser').select(['username', 'passwordHash']).where('id', '=', ids.user).executeTakeFirstOrThrow();
      expect(user).toEqual(await source.handle.db.selectFrom('appUser').select(['username', 'passwordHash']).where('id', '=', ids.user).executeTakeFirstOrThrow());
    } finally {
      await restored.close();
    }
    const blobPath = (root: string) => path.join(root, blobSha.slice(0, 2), blobSha.slice(2, 4), blobSha);
    expect(new Uint8Array(await readFile(blobPath(target.blobDir)))).toEqual(pdf);
    expect(await readFile(path.join(target.dataDir, 'keys', 'secret.key'))).toEqual(await readFile(path.join(deps.config.dataDir, 'keys', 'secret.key')));
    expect(await readFile(path.join(target.outboxDir, 'thu-1.eml'), 'utf8')).toContain('thư chờ gửi');

    // a second restore into the same, now non-empty, install is refused (PostgreSQL: even with --force)
    await expect(restoreBackup({ file: archive, config: target, force: !!adminUrl })).rejects.toMatchObject({ code: adminUrl ? 'backup.target_database_not_empty' : 'backup.target_not_empty' });
  });

  test('verify catches a part changed after the backup and a blob missing from the archive', async () => {
    const tampered = await rewrite(archive, async (dir) => writeFile(path.join(dir, 'data', 'outbox', 'thu-1.eml'), 'Subject: đã bị sửa'));
    expect((await verifyBackup(tampered)).problems).toEqual([expect.stringContaining('data/outbox/thu-1.eml đã bị thay đổi')]);

    const withoutBlob = await rewrite(archive, async (dir) => {
      await unlink(path.join(dir, 'data', 'blobs', blobSha.slice(0, 2), blobSha.slice(2, 4), blobSha));
      const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as BackupManifest;
      manifest.blobs = manifest.blobs.filter((b) => b.sha256 !== blobSha);
      await writeFile(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
    });
    expect((await verifyBackup(withoutBlob)).problems).toEqual([expect.stringContaining(`có tệp (blob) ${blobSha} nhưng bản sao lưu không có`)]);

    // and restore refuses it, leaving the target untouched
    const target = await freshTarget('refused');
    await expect(restoreBackup({ file: withoutBlob, config: target })).rejects.toMatchObject({ code: 'backup.archive_invalid' });
    expect(existsSync(target.dataDir)).toBe(false);
  });

  test.skipIf(!!adminUrl)('--force moves the data found in DATA_DIR aside, never deleting it', async () => {
    const target = await freshTarget('force');
    await mkdir(target.dataDir, { recursive: true });
    await writeFile(path.join(target.dataDir, 'cu.txt'), 'dữ liệu cũ');
    await expect(restoreBackup({ file: archive, config: target })).rejects.toMatchObject({ code: 'backup.target_not_empty' });
    const report = await restoreBackup({ file: archive, config: target, force: true });
    expect(report.previousDataDir).toBeTruthy();
    expect(await readFile(path.join(report.previousDataDir!, 'cu.txt'), 'utf8')).toBe('dữ liệu cũ');
    expect(existsSync(path.join(target.dataDir, 'cu.txt'))).toBe(false);
    expect(report.counts.incoming).toBeGreaterThanOrEqual(1);
  });

  test.skipIf(!adminUrl)('restore refuses a PostgreSQL database another session is connected to (a running server), and goes ahead with --force', async () => {
    const target = await freshTarget('in-use');
    const server = new pg.Client({ connectionString: target.databaseUrl, application_name: 'vanthu-server' });
    await server.connect();
    try {
      await expect(restoreBackup({ file: archive, config: target })).rejects.toMatchObject({
        code: 'backup.database_in_use', message: expect.stringContaining('--force'), details: { sessions: [expect.objectContaining({ applicationName: 'vanthu-server' })] },
      });
      expect(existsSync(target.dataDir)).toBe(false);
      const report = await restoreBackup({ file: archive, config: target, force: true });
      expect(report.counts.incoming).toBeGreaterThanOrEqual(1);
    } finally {
      await server.end();
    }
  });

  test.skipIf(!!adminUrl)('the embedded database open in another process (a running server) is detected before any backup or restore', async () => {
    const target = await freshTarget('running');
    await mkdir(target.pgliteDir, { recursive: true });
    const open = await openDatabase({ dataDir: target.pgliteDir });
    try {
      await open.db.selectNoFrom((eb) => eb.val(1).as('x')).execute();
      await expect(assertPgliteClosed(target)).rejects.toMatchObject({ code: 'backup.server_running', details: { pid: process.pid } });
      await expect(restoreBackup({ file: archive, config: target, force: true })).rejects.toMatchObject({ code: 'backup.server_running' });
    } finally {
      await open.close();
    }
    await expect(assertPgliteClosed(target)).resolves.toBeUndefined();
    // a postmaster.pid left by a killed server, no process holding the files: not taken for a running server
    await writeFile(path.join(target.pgliteDir, 'postmaster.pid'), '-42\n');
    await expect(assertPgliteClosed(target)).resolves.toBeUndefined();
  });
});
