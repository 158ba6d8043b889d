import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/client.ts';
import { ZAuditEvent, type TAuditEvent } from './events.ts';

/** Who did something: a signed-in user, or the system itself (jobs, CLI, demo seeding). */
export type AuditActor = { id: string | null; agencyId: string | null; name: string; ip?: string; requestId?: string };

export const SYSTEM_ACTOR: AuditActor = { id: null, agencyId: null, name: 'system' };

/** The audit identity of a request's or the CLI's actor. */
export function auditActorOf(actor: { id: string; agencyId: string; username: string; isSystem?: boolean }, ip?: string, requestId?: string): AuditActor {
  return { id: actor.isSystem ? null : actor.id, agencyId: actor.agencyId, name: actor.username, ip, requestId };
}

export const GENESIS_HASH = '0'.repeat(64);

// One lock key for the whole chain: the next row's prev_hash must be the last committed row's hash,
// so appends are serialised (held until the business transaction commits).
const AUDIT_CHAIN_LOCK = 727_001;

type PendingRow = Omit<AuditHashInput, 'data'> & { data: Record<string, unknown> };
// Transactions whose audit rows are collected and appended at the end (withBatchedAudit).
const batches = new WeakMap<Db, PendingRow[]>();

/**
 * Appends one audit row inside the caller's transaction. The row carries the SHA-256 of the previous
 * row, so any edit or deletion breaks the chain (`vanthu audit verify`). The only writer of audit_log.
 */
export async function audit(tx: Db, actor: AuditActor, event: TAuditEvent): Promise<void> {
  const parsed = ZAuditEvent.parse(event);
  const row: PendingRow = {
    at: new Date().toISOString(),
    agencyId: parsed.agencyId ?? actor.agencyId,
    actorId: actor.id,
    actorName: actor.name,
    ip: actor.ip ?? '',
    requestId: actor.requestId ?? '',
    type: parsed.type,
    entityType: parsed.entityType,
    entityId: parsed.entityId,
    data: parsed.data ?? {},
  };
  const batch = batches.get(tx);
  if (batch) batch.push(row);
  else await appendRows(tx, [row]);
}

/**
 * Runs `work` with the audit rows it appends in `tx` collected, then appends them all at once: one
 * chain lock, one read of the chain head and one multi-row insert instead of three statements per row
 * (transactions that record many events, such as a batch of received packages). Rows appended inside
 * a savepoint that `work` rolls back are dropped with `rows.rollbackTo(mark)` (`mark = rows.mark()`
 * taken before the savepoint). Nothing is appended if `work` throws.
 */
export async function withBatchedAudit<T>(tx: Db, work: (rows: { mark: () => number; rollbackTo: (mark: number) => void }) => Promise<T>): Promise<T> {
  const rows: PendingRow[] = [];
  batches.set(tx, rows);
  try {
    const result = await work({ mark: () => rows.length, rollbackTo: (mark) => void rows.splice(mark) });
    await appendRows(tx, rows);
    return result;
  } finally {
    batches.delete(tx);
  }
}

// Rows per insert statement (11 parameters each, well under PostgreSQL's 65 535).
const INSERT_CHUNK = 1000;

async function appendRows(tx: Db, rows: readonly PendingRow[]): Promise<void> {
  if (rows.length === 0) return;
  await sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`.execute(tx);
  const last = await tx.selectFrom('auditLog').select(['hash']).orderBy('id', 'desc').limit(1).executeTakeFirst();
  let prevHash = last?.hash ?? GENESIS_HASH;
  const values = rows.map((row) => {
    const hash = auditHash(prevHash, row);
    const value = { ...row, data: JSON.stringify(row.data), prevHash, hash };
    prevHash = hash;
    return value;
  });
  for (let i = 0; i < values.length; i += INSERT_CHUNK) await tx.insertInto('auditLog').values(values.slice(i, i + INSERT_CHUNK)).execute();
}

export type AuditHashInput = {
  at: string;
  agencyId: string | null;
  actorId: string | null;
  actorName: string;
  ip: string;
  requestId: string;
  type: string;
  entityType: string;
  entityId: string;
  data: unknown;
};

/** SHA-256 over the previous hash and a canonical JSON of the row's content. */
export function auditHash(prevHash: string, row: AuditHashInput): string {
  const content = canonicalJson([row.at, row.agencyId, row.actorId, row.actorName, row.ip, row.requestId, row.type, row.entityType, row.entityId, row.data]);
  return createHash('sha256').update(prevHash).update('\n').update(content).digest('hex');
}

/** JSON with object keys sorted, so the same data always hashes the same after a jsonb round trip. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export type ChainReport = { rows: number; ok: boolean; firstBroken?: { id: number; reason: string } };

/** Recomputes the chain from the first row; names the first row whose hash or link is wrong. */
export async function verifyAuditChain(db: Db, batchSize = 5000): Promise<ChainReport> {
  let prevHash = GENESIS_HASH;
  let afterId = 0;
  let rows = 0;
  for (;;) {
    const batch = await db.selectFrom('auditLog').selectAll().where('id', '>', afterId).orderBy('id').limit(batchSize).execute();
    if (batch.length === 0) return { rows, ok: true };
    for (const r of batch) {
      rows++;
      if (r.prevHash !== prevHash) return { rows, ok: false, firstBroken: { id: r.id, reason: 'prev_hash không khớp với hàng trước (hàng bị xóa hoặc chèn)' } };
      const expected = auditHash(prevHash, {
        at: new Date(r.at).toISOString(), agencyId: r.agencyId, actorId: r.actorId, actorName: r.actorName, ip: r.ip,
        requestId: r.requestId, type: r.type, entityType: r.entityType, entityId: r.entityId, data: r.data,
      });
      if (expected !== r.hash) return { rows, ok: false, firstBroken: { id: r.id, reason: 'nội dung hàng đã bị sửa (hash không khớp)' } };
      prevHash = r.hash;
      afterId = r.id;
    }
  }
}
