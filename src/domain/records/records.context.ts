import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/client.ts';
import { auditActorOf, type AuditActor } from '../../platform/audit/audit.ts';
import type { Actor } from '../../policies/actor.ts';

/** What every records action takes: the database, the actor, and the request's IP and id for the audit row. */
export type RecordsCtx = { db: Kysely<DB>; actor: Actor; ip?: string; requestId?: string };

export const auditActor = (c: RecordsCtx): AuditActor => auditActorOf(c.actor, c.ip, c.requestId);

/** The user who acts, for created_by/closed_by columns: null for the command line (it has no users row). */
export const actingUserId = (c: RecordsCtx): string | null => (c.actor.isSystem ? null : c.actor.id);

/** Thời hạn bảo quản as people read it: "Vĩnh viễn" or "20 năm". */
export const retentionText = (retention: string): string => (retention === 'permanent' ? 'Vĩnh viễn' : `${retention} năm`);

/** Postgres' unique violation: two people took the same số/ký hiệu at the same moment. */
export const isUniqueViolation = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && 'code' in error && (error as { code: unknown }).code === '23505';
