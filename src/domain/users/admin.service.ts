import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../../platform/db/client.ts';
import type { Config } from '../../platform/config.ts';
import { errorFactory } from '../../platform/errors.ts';
import { authorize } from '../../policies/index.ts';
import type { Actor } from '../../policies/actor.ts';

const mailNotFound = errorFactory({ code: 'mail.not_found', status: 404, message: 'Không tìm thấy thư.' });

/** Mail sent for the admin's agency, newest first. Throws forbidden. */
export async function listOutbox(c: { db: Db; actor: Actor }) {
  authorize(c.actor, 'mail.view_outbox', { agencyId: c.actor.agencyId });
  return c.db.selectFrom('mailLog').selectAll().where('agencyId', '=', c.actor.agencyId).orderBy('createdAt', 'desc').limit(200).execute();
}

/** The raw .eml text of one mail written to the outbox folder. Throws forbidden, mail.not_found. */
export async function readOutboxMail(c: { db: Db; actor: Actor; config: Config; id: string }) {
  authorize(c.actor, 'mail.view_outbox', { agencyId: c.actor.agencyId });
  const row = await c.db.selectFrom('mailLog').selectAll().where('id', '=', c.id).where('agencyId', '=', c.actor.agencyId).executeTakeFirst();
  if (!row?.fileName) throw mailNotFound();
  const eml = await readFile(path.join(c.config.outboxDir, path.basename(row.fileName)), 'utf8').catch(() => {
    throw mailNotFound();
  });
  return { ...row, eml };
}

/** The agency's audit rows, newest first, paged by id; of one kind of object, or by whom (part of the username), when asked. Throws forbidden. */
export async function listAuditLog(c: { db: Db; actor: Actor; limit: number; beforeId?: number; entityType?: string; by?: string }) {
  authorize(c.actor, 'audit.view', { agencyId: c.actor.agencyId });
  let q = c.db.selectFrom('auditLog').select(['id', 'at', 'actorName', 'ip', 'type', 'entityType', 'entityId', 'data'])
    .where('agencyId', '=', c.actor.agencyId);
  if (c.beforeId) q = q.where('id', '<', c.beforeId);
  if (c.entityType) q = q.where('entityType', '=', c.entityType);
  if (c.by) q = q.where('actorName', 'ilike', `%${c.by.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`);
  return q.orderBy('id', 'desc').limit(c.limit).execute();
}
