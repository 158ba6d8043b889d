import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { createReadStream, existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rename, rm, rmdir, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { create as tarCreate, extract as tarExtract } from 'tar';
import { sql, type Kysely } from 'kysely';
import { PGlite } from '@electric-sql/pglite';
import { z } from 'zod';
import type { Config } from '../config.ts';
import { openDatabase, type DatabaseHandle, type DB } from '../db/client.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { pgliteHolder } from '../db/pglite-holder.ts';
import {
  backupArchiveInvalid, backupDatabaseInUse, backupDumpFailed, backupKindMismatch, backupNewerThanInstall, backupRestoreFailed,
  backupServerRunning, backupTargetDatabaseNotEmpty, backupTargetNotEmpty,
} from './backup.errors.ts';

const run = promisify(execFile);
const FORMAT = 'vanthu-backup/1';
const PGLITE_DUMP = 'database/pglite.tar.gz';
const POSTGRES_DUMP = 'database/postgres.dump';
const SHA256_NAME = /^[0-9a-f]{64}$/;
/** What DATA_DIR holds that is not copied as a file: the database (dumped), the blobs (listed one by one), the axis's own bodies (`vanthu axis`, backed up apart). */
const NOT_COPIED = new Set(['pglite', 'blobs', 'axis-bodies']);

export type BackupPart = { path: string; sha256: string; size: number };
export type BackupManifest = {
  format: typeof FORMAT;
  vanthuVersion: string;
  migration: string | null;
  database: 'pglite' | 'postgres';
  createdAt: string;
  /** The database dump and every copied file of DATA_DIR (paths inside the archive). */
  parts: BackupPart[];
  /** The blobs (stored as data/blobs/ab/cd/<sha256>; their name is their hash). */
  blobs: { sha256: string; size: number }[];
};

/** Where the server writes its archives and how many it keeps (env BACKUP_DIR, BACKUP_KEEP). */
export function backupSettings(config: Pick<Config, 'dataDir'>, env: Record<string, string | undefined> = process.env): { dir: string; keep: number } {
  const keep = z.coerce.number().int().min(1).max(1000).catch(7).parse(env.BACKUP_KEEP || 7);
  return { dir: path.resolve(config.dataDir, env.BACKUP_DIR || 'backups'), keep };
}

/** Throws backup.server_running when the embedded database of this DATA_DIR is open in a running process. */
export async function assertPgliteClosed(config: Pick<Config, 'databaseUrl' | 'pgliteDir'>): Promise<void> {
  if (config.databaseUrl) return;
  const holder = await pgliteHolder(config);
  if (holder !== null) throw backupServerRunning({ pgliteDir: config.pgliteDir, pid: holder });
}

export const archiveName = (at: Date) => `vanthu-backup-${at.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)}.tar`;

/**
 * Writes one archive (tar) of the install into `outDir`: the manifest, the database dump (pg_dump
 * custom format, or PGlite's data directory of the open instance), then the blobs present after the
 * dump (a blob is stored before the row naming it commits, so every row of the dump has its file),
 * then the other files of DATA_DIR (mail outbox, keys, demo PKI, trust store). Written under a
 * temporary name and renamed, so a half-written archive never looks like a backup.
 */
export async function createBackup(o: { config: Config; handle: Pick<DatabaseHandle, 'db' | 'kind' | 'pglite'>; outDir: string; now?: Date }): Promise<{ file: string; size: number; manifest: BackupManifest }> {
  const at = o.now ?? new Date();
  await mkdir(o.outDir, { recursive: true });
  const stage = await mkdtemp(path.join(o.outDir, '.vanthu-backup-'));
  try {
    await mkdir(path.join(stage, 'database'));
    const migration = await appliedMigration(o.handle.db);
    const dump = await dumpDatabase(o.config, o.handle, stage);
    const data = path.join(stage, 'data');
    await mkdir(data);
    await copyDataFiles(o.config.dataDir, data, [path.resolve(o.outDir), backupSettings(o.config).dir]);
    const blobs = await listBlobFiles(o.config.blobDir);
    await symlink(o.config.blobDir, path.join(data, 'blobs'));
    const files = [dump, ...(await walk(data, 'data', (p) => !p.startsWith('data/blobs')))];
    const manifest: BackupManifest = {
      format: FORMAT, vanthuVersion: await vanthuVersion(), migration, database: o.handle.kind, createdAt: at.toISOString(),
      parts: await Promise.all(files.map(async (p) => ({ path: p, ...(await hashFile(path.join(stage, p))) }))),
      blobs: blobs.map((b) => ({ sha256: b.sha256, size: b.size })),
    };
    await writeFile(path.join(stage, 'manifest.json'), JSON.stringify(manifest, null, 2));
    const file = path.join(o.outDir, archiveName(at));
    const partial = `${file}.partial`;
    await tarCreate({ file: partial, cwd: stage, portable: true }, ['manifest.json', ...files, ...blobs.map((b) => `data/blobs/${b.rel}`)]);
    await rename(partial, file);
    return { file, size: (await stat(file)).size, manifest };
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}

async function appliedMigration(db: Kysely<DB>): Promise<string | null> {
  // kysely's own bookkeeping table, not in the generated types
  const row = await sql<{ name: string }>`select name from kysely_migration order by name desc limit 1`.execute(db);
  return row.rows[0]?.name ?? null;
}

let version: string | undefined;
async function vanthuVersion(): Promise<string> {
  version ??= (JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  return version;
}

async function dumpDatabase(config: Config, handle: Pick<DatabaseHandle, 'db' | 'kind' | 'pglite'>, stage: string): Promise<string> {
  if (handle.kind === 'pglite') {
    const copy = handle.pglite ? undefined : await copyOfOpenPglite(handle.db, config.pgliteDir, stage);
    let dumped: Blob;
    try {
      dumped = await (handle.pglite ?? copy!).dumpDataDir('gzip');
    } finally {
      await copy?.close();
    }
    await writeFile(path.join(stage, PGLITE_DUMP), new Uint8Array(await dumped.arrayBuffer()));
    return PGLITE_DUMP;
  }
  if (!config.databaseUrl) throw backupDumpFailed({ reason: 'DATABASE_URL is not set' });
  await runTool('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--file=${path.join(stage, POSTGRES_DUMP)}`, `--dbname=${config.databaseUrl}`], backupDumpFailed);
  return POSTGRES_DUMP;
}

/**
 * The server's own embedded database, when only its Kysely handle is at hand (a job): holding PGlite's
 * one connection (no transaction open, no other query can start) after a CHECKPOINT, its data directory
 * is copied as it is on disk; the copy, opened as a second instance, gives the same dump as the CLI's.
 */
async function copyOfOpenPglite(db: Kysely<DB>, pgliteDir: string, stage: string): Promise<PGlite> {
  const copy = path.join(stage, 'pglite-copy');
  await db.connection().execute(async (conn) => {
    await sql`checkpoint`.execute(conn);
    await cp(pgliteDir, copy, { recursive: true, filter: (p) => path.basename(p) !== 'postmaster.pid' });
  });
  return PGlite.create({ dataDir: copy });
}

async function runTool(tool: string, args: string[], failure: typeof backupDumpFailed): Promise<string> {
  try {
    return (await run(tool, args, { maxBuffer: 1 << 30 })).stdout;
  } catch (error) {
    const e = error as { code?: string; stderr?: string };
    const reason = e.code === 'ENOENT' ? `${tool} không có trên máy (cài gói postgresql-client)` : (e.stderr ?? String(error)).trim().slice(0, 2000);
    throw failure({ tool, reason }, { message: `${failure === backupDumpFailed ? 'Không sao lưu được cơ sở dữ liệu' : 'Không phục hồi được cơ sở dữ liệu'}: ${reason}`, cause: error });
  }
}

/** Copies DATA_DIR's files other than the database, the blobs, the axis bodies and the backups themselves. */
async function copyDataFiles(dataDir: string, into: string, skipDirs: string[]): Promise<void> {
  if (!existsSync(dataDir)) return;
  for (const entry of await readdir(dataDir, { withFileTypes: true })) {
    const from = path.join(dataDir, entry.name);
    if (NOT_COPIED.has(entry.name) || entry.name.startsWith('.vanthu-') || /^vanthu-backup-.*\.tar/.test(entry.name)) continue;
    if (skipDirs.some((d) => from === d || d.startsWith(from + path.sep))) continue;
    if (!entry.isDirectory() && !entry.isFile()) continue;
    await cp(from, path.join(into, entry.name), { recursive: true, filter: async (p) => { const s = await stat(p); return s.isDirectory() || s.isFile(); } });
  }
}

/** The blob files of the store (its tmp/ directory left out), as paths under it. */
async function listBlobFiles(blobDir: string): Promise<{ sha256: string; size: number; rel: string }[]> {
  if (!existsSync(blobDir)) return [];
  const found: { sha256: string; size: number; rel: string }[] = [];
  for (const rel of await walk(blobDir, '', () => true)) {
    const name = path.basename(rel);
    if (!SHA256_NAME.test(name) || rel !== `${name.slice(0, 2)}/${name.slice(2, 4)}/${name}`) continue;
    found.push({ sha256: name, size: (await stat(path.join(blobDir, rel))).size, rel });
  }
  return found.sort((a, b) => a.sha256.localeCompare(b.sha256));
}

/** Every regular file under `root` (following a symlinked root), as `prefix/relative` paths with forward slashes. */
async function walk(root: string, prefix: string, keep: (p: string) => boolean): Promise<string[]> {
  const out: string[] = [];
  const visit = async (dir: string, rel: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const p = rel ? `${rel}/${entry.name}` : entry.name;
      if (!keep(p)) continue;
      if (entry.isDirectory()) await visit(path.join(dir, entry.name), p);
      else if (entry.isFile()) out.push(p);
    }
  };
  await visit(root, prefix);
  return out.sort();
}

async function hashFile(file: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  await pipeline(createReadStream(file), async function* (source: AsyncIterable<Buffer>) {
    for await (const chunk of source) {
      hash.update(chunk);
      size += chunk.length;
    }
  });
  return { sha256: hash.digest('hex'), size };
}

export type VerifyResult = { manifest: BackupManifest; problems: string[]; blobCount: number; blobBytes: number };

/** Extracts `file` into a new temporary directory beside `near` and checks it (see checkExtracted). The caller removes the directory. */
async function extractArchive(file: string, near: string): Promise<string> {
  if (!existsSync(file)) throw backupArchiveInvalid({ file }, { message: `Không tìm thấy tệp sao lưu: ${file}` });
  await mkdir(near, { recursive: true });
  const dir = await mkdtemp(path.join(near, '.vanthu-restore-'));
  try {
    await tarExtract({ file, cwd: dir, strict: true });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw backupArchiveInvalid({ file }, { message: `Tệp sao lưu không đọc được (không phải tệp tar hợp lệ): ${String(error)}`, cause: error });
  }
  return dir;
}

/**
 * Checks an extracted archive: the manifest is there; every part has its recorded size and SHA-256;
 * every blob's content hashes to its name; no unlisted file; every blob the dump's `blob` table names
 * is in the archive. Returns the problems found, in Vietnamese (none: the archive is good).
 */
async function checkExtracted(dir: string): Promise<VerifyResult> {
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as BackupManifest;
    if (manifest.format !== FORMAT) throw new Error(`format ${String(manifest.format)}`);
  } catch (error) {
    throw backupArchiveInvalid({}, { message: `Tệp sao lưu không có bản kê (manifest.json) hợp lệ: ${String(error)}`, cause: error });
  }
  const problems: string[] = [];
  const present = new Set(await walk(dir, '', () => true));
  present.delete('manifest.json');
  for (const part of manifest.parts) {
    if (!present.delete(part.path)) { problems.push(`Thiếu tệp ${part.path}.`); continue; }
    const actual = await hashFile(path.join(dir, part.path));
    if (actual.sha256 !== part.sha256 || actual.size !== part.size) problems.push(`Tệp ${part.path} đã bị thay đổi (mã băm SHA-256 không khớp).`);
  }
  const archived = new Set<string>();
  let blobBytes = 0;
  for (const blob of manifest.blobs) {
    const rel = `data/blobs/${blob.sha256.slice(0, 2)}/${blob.sha256.slice(2, 4)}/${blob.sha256}`;
    if (!present.delete(rel)) { problems.push(`Thiếu tệp dữ liệu (blob) ${blob.sha256}.`); continue; }
    const actual = await hashFile(path.join(dir, rel));
    if (actual.sha256 !== blob.sha256) problems.push(`Tệp dữ liệu (blob) ${blob.sha256} đã bị thay đổi (mã băm SHA-256 không khớp).`);
    else { archived.add(blob.sha256); blobBytes += actual.size; }
  }
  for (const extra of present) problems.push(`Tệp ${extra} không có trong bản kê.`);
  const dump = manifest.parts.find((p) => p.path === PGLITE_DUMP || p.path === POSTGRES_DUMP);
  if (!dump) problems.push('Bản sao lưu không có bản kết xuất cơ sở dữ liệu.');
  else if (!problems.some((p) => p.includes(dump.path))) {
    const listed = await blobsOfDump(path.join(dir, dump.path), manifest.database);
    const missing = listed.filter((sha) => !archived.has(sha));
    for (const sha of missing.slice(0, 20)) problems.push(`Cơ sở dữ liệu có tệp (blob) ${sha} nhưng bản sao lưu không có tệp này.`);
    if (missing.length > 20) problems.push(`… và ${missing.length - 20} tệp (blob) thiếu khác.`);
  }
  return { manifest, problems, blobCount: archived.size, blobBytes };
}

/** The SHA-256 of every row of the dump's `blob` table (PGlite: the dumped data directory opened in memory; PostgreSQL: pg_restore of that table's data). */
async function blobsOfDump(dumpFile: string, kind: BackupManifest['database']): Promise<string[]> {
  if (kind === 'pglite') {
    const handle = await openDatabase({ loadDataDir: new Blob([new Uint8Array(await readFile(dumpFile))]) });
    try {
      return (await handle.db.selectFrom('blob').select('sha256').execute()).map((r) => r.sha256);
    } finally {
      await handle.close();
    }
  }
  const text = await runTool('pg_restore', ['--data-only', '--table=blob', '--file=-', dumpFile], backupRestoreFailed);
  const lines = text.split('\n');
  const start = lines.findIndex((l) => /^COPY (public\.)?blob \(/.test(l));
  if (start < 0) return [];
  const column = /\((.*)\)/.exec(lines[start]!)![1]!.split(',').map((c) => c.trim()).indexOf('sha256');
  const end = lines.indexOf('\\.', start);
  return lines.slice(start + 1, end).map((l) => l.split('\t')[column]!);
}

/** Checks an archive without restoring it (extracted beside it into a temporary directory, removed after). */
export async function verifyBackup(file: string): Promise<VerifyResult> {
  const dir = await extractArchive(file, path.dirname(path.resolve(file)));
  try {
    return await checkExtracted(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export type RestoreReport = {
  file: string;
  manifest: Pick<BackupManifest, 'vanthuVersion' | 'migration' | 'database' | 'createdAt'>;
  dataDir: string;
  /** Where the data found in DATA_DIR was moved (--force), or null. */
  previousDataDir: string | null;
  migrationsApplied: string[];
  counts: { agencies: number; users: number; incoming: number; outgoing: number; workFiles: number; blobs: number; blobBytes: number; files: number };
  problems: string[];
};

/**
 * Restores an archive into the configured DATA_DIR (and DATABASE_URL), the server being stopped.
 * Everything is first built beside DATA_DIR (extracted, checked, database loaded) and only then put in
 * place by renames, so a failure leaves the target as it was. A non-empty DATA_DIR is refused unless
 * `force`, which moves it aside (never deletes it); a PostgreSQL target must be an empty database with no
 * other session connected to it (a running server), the latter check skipped by `force`.
 * Then migrates a backup older than this version and counts what came back.
 */
export async function restoreBackup(o: { file: string; config: Config; force?: boolean; now?: Date }): Promise<RestoreReport> {
  const { config } = o;
  await assertPgliteClosed(config);
  const backups = backupSettings(config).dir;
  const occupied = existsSync(config.dataDir) && (await readdir(config.dataDir)).some((n) => path.join(config.dataDir, n) !== backups);
  if (occupied && !o.force) throw backupTargetNotEmpty({ dataDir: config.dataDir });
  if (config.databaseUrl) await assertPostgresTarget(config.databaseUrl, { isForced: !!o.force });
  const parent = path.dirname(config.dataDir);
  const stage = await extractArchive(o.file, parent);
  let previousDataDir: string | null = null;
  try {
    const checked = await checkExtracted(stage);
    const { manifest } = checked;
    if (checked.problems.length > 0) throw backupArchiveInvalid({ problems: checked.problems }, { message: `Tệp sao lưu không dùng được, không phục hồi:\n  - ${checked.problems.join('\n  - ')}` });
    if ((manifest.database === 'postgres') !== Boolean(config.databaseUrl)) throw backupKindMismatch({ backup: manifest.database });
    const latest = await latestMigrationName();
    if (manifest.migration && latest && manifest.migration > latest) throw backupNewerThanInstall({ backup: manifest.migration, install: latest });
    const data = path.join(stage, 'data');
    await mkdir(data, { recursive: true });
    if (manifest.database === 'pglite') await loadPglite(path.join(stage, PGLITE_DUMP), path.join(data, 'pglite'));
    else await runTool('pg_restore', ['--no-owner', '--no-privileges', '--single-transaction', '--exit-on-error', `--dbname=${config.databaseUrl!}`, path.join(stage, POSTGRES_DUMP)], backupRestoreFailed);
    previousDataDir = await putInPlace(config.dataDir, data, backups, occupied, o.now ?? new Date());
    const { migrationsApplied, counts } = await migrateAndCount(config).catch((error: unknown) => {
      throw backupRestoreFailed({ previousDataDir }, { message: `Dữ liệu đã được đặt vào ${config.dataDir} nhưng không nâng cấp được cơ sở dữ liệu (vanthu migrate): ${String(error)}.${previousDataDir ? ` Dữ liệu cũ ở ${previousDataDir}.` : ''}`, cause: error });
    });
    return {
      file: path.resolve(o.file), dataDir: config.dataDir, previousDataDir, migrationsApplied,
      manifest: { vanthuVersion: manifest.vanthuVersion, migration: manifest.migration, database: manifest.database, createdAt: manifest.createdAt },
      counts: { ...counts, blobBytes: checked.blobBytes, files: manifest.parts.length - 1 },
      problems: counts.blobs === checked.blobCount ? [] : [`Cơ sở dữ liệu ghi ${counts.blobs} tệp (blob), bản sao lưu có ${checked.blobCount}.`],
    };
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}

/** The name of this version's last migration (the files of db/migrations, as the migrator reads them). */
async function latestMigrationName(): Promise<string | undefined> {
  const files = (await readdir(new URL('../db/migrations/', import.meta.url))).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).sort();
  return files.at(-1)?.replace(/\.ts$/, '');
}

/**
 * The PostgreSQL database to restore into: no other session is connected to it (a running server, a psql
 * left open: PostgreSQL, unlike PGlite, lets several processes in) unless forced, and it has no table.
 * Throws backup.database_in_use, backup.target_database_not_empty.
 */
async function assertPostgresTarget(url: string, o: { isForced: boolean }): Promise<void> {
  const handle = await openDatabase({ url });
  try {
    if (!o.isForced) {
      // pg_stat_activity and information_schema are not in the generated types; one query at a time, so
      // this process holds one connection, the one pg_backend_pid() names
      const { rows: sessions } = await sql<{ pid: number; applicationName: string; clientAddr: string | null; backendStart: Date }>`
        select pid, application_name, client_addr::text, backend_start from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend' order by backend_start`.execute(handle.db);
      if (sessions.length > 0) throw backupDatabaseInUse({ sessions });
    }
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from information_schema.tables where table_schema = 'public'`.execute(handle.db);
    if ((rows[0]?.n ?? 0) > 0) throw backupTargetDatabaseNotEmpty();
  } finally {
    await handle.close();
  }
}

async function loadPglite(dumpFile: string, into: string): Promise<void> {
  const pglite = await PGlite.create({ dataDir: into, loadDataDir: new Blob([new Uint8Array(await readFile(dumpFile))]) });
  await pglite.query('select 1');
  await pglite.close();
}

/** Moves the built data directory to DATA_DIR: what was there goes aside (force) or, empty, away; the backups directory stays. */
async function putInPlace(dataDir: string, built: string, backups: string, occupied: boolean, at: Date): Promise<string | null> {
  let aside: string | null = null;
  if (existsSync(dataDir)) {
    if (backups.startsWith(dataDir + path.sep) && existsSync(backups)) {
      const rel = path.relative(dataDir, backups);
      await mkdir(path.dirname(path.join(built, rel)), { recursive: true });
      await rename(backups, path.join(built, rel));
    }
    if (occupied) {
      aside = `${dataDir}.before-restore-${archiveName(at).slice('vanthu-backup-'.length, -'.tar'.length)}`;
      await rename(dataDir, aside);
    } else await rmdir(dataDir);
  }
  await rename(built, dataDir);
  return aside;
}

async function migrateAndCount(config: Config): Promise<Pick<RestoreReport, 'migrationsApplied'> & { counts: Omit<RestoreReport['counts'], 'blobBytes' | 'files'> }> {
  const handle = await openDatabase(config.databaseUrl ? { url: config.databaseUrl } : { dataDir: config.pgliteDir });
  try {
    const result = await migrateToLatest(handle.db);
    const count = async (table: 'agency' | 'appUser' | 'incomingDocument' | 'outgoingDocument' | 'recordsFile' | 'blob') =>
      Number((await handle.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    return {
      migrationsApplied: (result.results ?? []).map((r) => r.migrationName),
      counts: {
        agencies: await count('agency'), users: await count('appUser'), incoming: await count('incomingDocument'),
        outgoing: await count('outgoingDocument'), workFiles: await count('recordsFile'), blobs: await count('blob'),
      },
    };
  } finally {
    await handle.close();
  }
}
