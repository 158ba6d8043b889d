import type { AppDeps } from '../../platform/deps.ts';
import type { Db } from '../../platform/db/client.ts';
import { audit, SYSTEM_ACTOR } from '../../platform/audit/audit.ts';
import { recordBlob } from '../../platform/blobs/blobs.ts';
import { isAppError } from '../../platform/errors.ts';
import { attachFile, findFile } from '../files/files.service.ts';
import { augmentPdf } from '../signing/verify/verify.ltv.ts';
import { verifyPdf, type VerifyOptions } from '../signing/verify/verify.ts';
import { installVerifyOptions } from '../verification/verification.service.ts';
import { archiveRepo, type ArchiveRow } from './archive.repository.ts';
import { assessReport, type Assessment } from './archive.assess.ts';
import { tsaRsaKeyBits } from './archive.keys.ts';
import { archiveRenewedInvalid, archiveTsaNotConfigured } from './archive.errors.ts';
import { installTsaUrl } from '../certificates/certificates.tsa.ts';

export type PassOptions = { now?: Date; dryRun?: boolean; limit?: number };
export type PassItem = { archiveId: string | null; fileId: string; ownerType: string; ownerId: string; outcome: 'protected' | 'renewed' | 'due' | 'failed' | 'skipped'; detail: string; protectedUntil: string | null; retryAt?: string };
export type PassReport = { discovered: number; checked: number; renewed: number; failed: number; skipped: number; hasMore: boolean; items: PassItem[]; earliestRetryAt: string | null };

const DAY = 86_400_000;
const systemFor = (agencyId: string) => ({ ...SYSTEM_ACTOR, agencyId });

/** Delay before retry n (1-based) of one file: 1 h, 4 h, 16 h, then daily — the TSA may be down for a while. */
export function retryDelayMs(attempt: number): number {
  return Math.min(3_600_000 * 4 ** (attempt - 1), DAY);
}

/**
 * One archive pass: starts tracking newly kept signed PDFs, then checks every file whose renewal (or
 * retry) is due, and adds the DSS and a new document timestamp where the policy asks for it (see
 * assessReport). A renewed file is a NEW document_file version; the earlier bytes stay. Failures are
 * recorded on the file with a retry time and never touch its bytes. `dryRun` writes nothing and reports
 * what would be done (new files included).
 */
export async function runArchivePass(deps: AppDeps, o: PassOptions = {}): Promise<PassReport> {
  const now = o.now ?? new Date();
  const limit = o.limit ?? 50;
  const report: PassReport = { discovered: 0, checked: 0, renewed: 0, failed: 0, skipped: 0, hasMore: false, items: [], earliestRetryAt: null };
  const verifyOptions = { ...(await installVerifyOptions(deps)), now };
  if (o.dryRun) return dryRun(deps, verifyOptions, now, limit, report);
  report.discovered = await archiveRepo.discover(deps.db, limit * 10, now);
  const due = await archiveRepo.listDue(deps.db, now, limit + 1);
  // more due files, or more new files than one pass tracks: the job continues at once
  report.hasMore = due.length > limit || report.discovered === limit * 10;
  for (const { id } of due.slice(0, limit)) {
    const item = await processRow(deps, verifyOptions, id, now);
    if (!item) continue;
    report.checked++;
    if (item.outcome === 'renewed') report.renewed++;
    if (item.outcome === 'failed') report.failed++;
    if (item.outcome === 'skipped') report.skipped++;
    report.items.push(item);
  }
  const retries = report.items.map((i) => i.retryAt ?? '').filter(Boolean).sort();
  report.earliestRetryAt = retries[0] ?? null;
  return report;
}

async function dryRun(deps: AppDeps, verifyOptions: VerifyOptions, now: Date, limit: number, report: PassReport): Promise<PassReport> {
  const files = [...(await archiveRepo.listDue(deps.db, now, limit)).map((r) => ({ archiveId: r.id as string | null, fileId: '' })), ...(await archiveRepo.listNewCandidates(deps.db, limit)).map((f) => ({ archiveId: null, fileId: f.id }))];
  for (const f of files.slice(0, limit)) {
    const row = f.archiveId ? await archiveRepo.findById(deps.db, f.archiveId) : undefined;
    const file = await findFile(deps.db, row?.currentFileId ?? f.fileId);
    if (!file) continue;
    const a = await assess(deps, await deps.blobs.get(file.sha256), verifyOptions, now);
    report.checked++;
    report.items.push({ archiveId: f.archiveId, fileId: file.id, ownerType: file.ownerType, ownerId: file.ownerId, outcome: a.kind === 'due' ? 'due' : a.kind === 'protected' ? 'protected' : 'skipped', detail: describe(a), protectedUntil: 'protectedUntil' in a ? a.protectedUntil : null });
  }
  report.hasMore = files.length > limit;
  return report;
}

/** Verifies a PDF with the install's options and applies the archive policy to it. */
async function assess(deps: AppDeps, bytes: Uint8Array, verifyOptions: VerifyOptions, now: Date): Promise<Assessment> {
  return assessReport(await verifyPdf(bytes, verifyOptions), now, deps.config.archive.marginDays, tsaRsaKeyBits(bytes));
}

function describe(a: Assessment): string {
  if (a.kind === 'unsigned') return 'Tệp không có chữ ký số.';
  if (a.kind === 'invalid') return `Chữ ký không hợp lệ: ${a.reason}`;
  if (a.kind === 'due') return `Cần gia hạn (${a.reason}), mức hiện tại ${a.level}.`;
  return `Đã bảo vệ (${a.level}).`;
}

/** Checks one lineage and renews it if due; returns what happened (undefined when the row vanished). */
async function processRow(deps: AppDeps, verifyOptions: VerifyOptions, id: string, now: Date): Promise<PassItem | undefined> {
  const row = await archiveRepo.findById(deps.db, id);
  const file = row ? await findFile(deps.db, row.currentFileId) : undefined;
  if (!row || !file) return undefined;
  const base = { archiveId: row.id, fileId: file.id, ownerType: row.ownerType, ownerId: row.ownerId };
  const bytes = await deps.blobs.get(file.sha256);
  let a: Assessment;
  try {
    a = await assess(deps, bytes, verifyOptions, now);
  } catch (error) {
    // an unreadable PDF is kept as it is: nothing to protect, said plainly to the admin
    a = { kind: 'invalid', reason: error instanceof Error ? error.message.slice(0, 300) : String(error) };
  }
  if (a.kind === 'unsigned' || a.kind === 'invalid') {
    await settle(deps.db, row, { status: 'skipped', lastError: describe(a), renewDueAt: null, lastCheckedAt: now.toISOString() }, 'ARCHIVE_FILE_SKIPPED', { reason: describe(a) });
    return { ...base, outcome: 'skipped', detail: describe(a), protectedUntil: null };
  }
  if (a.kind === 'protected') {
    await archiveRepo.update(deps.db, row.id, { status: 'protected', level: a.level, protectedUntil: a.protectedUntil, renewDueAt: a.renewDueAt, attempts: 0, nextAttemptAt: null, lastError: null, lastCheckedAt: now.toISOString() });
    return { ...base, outcome: 'protected', detail: describe(a), protectedUntil: a.protectedUntil };
  }
  try {
    return await renew(deps, verifyOptions, row, file, bytes, a, now);
  } catch (error) {
    const nextAttemptAt = await recordFailure(deps.db, row, error, now);
    return { ...base, outcome: 'failed', detail: errorText(error), protectedUntil: a.protectedUntil, retryAt: nextAttemptAt };
  }
}

type FileRow = NonNullable<Awaited<ReturnType<typeof findFile>>>;

/** Augments the current version, checks the result reaches the policy, stores it as a new version in one transaction. */
async function renew(deps: AppDeps, verifyOptions: VerifyOptions, row: ArchiveRow, file: FileRow, bytes: Uint8Array, due: Extract<Assessment, { kind: 'due' }>, now: Date): Promise<PassItem> {
  const tsaUrl = installTsaUrl(deps.config);
  if (!tsaUrl) throw archiveTsaNotConfigured();
  const renewed = await augmentPdf(bytes, { tsaUrl, trustStore: verifyOptions.trustStore, fetch: verifyOptions.fetch, timeoutMs: verifyOptions.timeoutMs });
  const after = await assess(deps, renewed, verifyOptions, now);
  // never store a file that would not verify or would be due again at once (a loop of timestamps)
  if (after.kind !== 'protected') throw archiveRenewedInvalid({ after: describe(after) });
  const stored = await deps.blobs.put(renewed);
  const outcome = await deps.db.transaction().execute(async (tx) => {
    const current = await archiveRepo.findForUpdate(tx, row.id);
    if (!current || current.currentFileId !== file.id) return 'raced' as const;
    await recordBlob(tx, { ...stored, contentType: 'application/pdf' });
    const added = await attachFile(tx, {
      agencyId: file.agencyId, ownerType: row.ownerType as 'incoming' | 'outgoing', ownerId: row.ownerId, kind: file.kind,
      // an outgoing document's files are grouped by draft version: the renewed PDF joins the issued one's version
      version: row.ownerType === 'outgoing' ? file.version : undefined,
      upload: { ...stored, fileName: file.fileName, contentType: 'application/pdf' }, pageCount: file.pageCount, createdBy: null, note: file.note,
    });
    await archiveRepo.addVersion(tx, row.id, file.id, added.id, {
      status: 'protected', level: after.level, protectedUntil: after.protectedUntil, renewDueAt: after.renewDueAt, renewals: current.renewals + 1,
      attempts: 0, nextAttemptAt: null, lastError: null, lastCheckedAt: now.toISOString(), lastRenewedAt: now.toISOString(),
    });
    await audit(tx, systemFor(row.agencyId), { type: 'ARCHIVE_TIMESTAMP_ADDED', entityType: row.ownerType as 'incoming' | 'outgoing', entityId: row.ownerId, agencyId: row.agencyId, data: {
      fromFileId: file.id, fileId: added.id, sha256: stored.sha256, reason: due.reason, levelBefore: due.level, protectedUntil: after.protectedUntil,
    } });
    return added.id;
  });
  const detail = outcome === 'raced' ? 'Một lượt khác đã gia hạn tệp này.' : `Đã thêm dấu thời gian tài liệu (${due.reason}); phiên bản mới ${outcome}.`;
  return { archiveId: row.id, fileId: outcome === 'raced' ? file.id : outcome, ownerType: row.ownerType, ownerId: row.ownerId, outcome: outcome === 'raced' ? 'protected' : 'renewed', detail, protectedUntil: after.protectedUntil };
}

const errorText = (error: unknown) => (isAppError(error) ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error)).slice(0, 1000);

/** Records a failed renewal on the lineage (bytes untouched) with its retry time; returns that time. */
async function recordFailure(db: Db, row: ArchiveRow, error: unknown, now: Date): Promise<string> {
  const attempts = row.attempts + 1;
  const nextAttemptAt = new Date(now.getTime() + retryDelayMs(attempts)).toISOString();
  await settle(db, row, { status: 'failed', attempts, nextAttemptAt, lastError: errorText(error), lastCheckedAt: now.toISOString() }, 'ARCHIVE_RENEWAL_FAILED', { attempts, nextAttemptAt, error: errorText(error) });
  return nextAttemptAt;
}

async function settle(db: Db, row: ArchiveRow, values: Parameters<typeof archiveRepo.update>[2], type: 'ARCHIVE_RENEWAL_FAILED' | 'ARCHIVE_FILE_SKIPPED', data: Record<string, unknown>) {
  await db.transaction().execute(async (tx) => {
    await archiveRepo.update(tx, row.id, values);
    await audit(tx, systemFor(row.agencyId), { type, entityType: row.ownerType as 'incoming' | 'outgoing', entityId: row.ownerId, agencyId: row.agencyId, data: { fileId: row.currentFileId, ...data } });
  });
}
