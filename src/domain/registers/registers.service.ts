import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB, Db } from '../../platform/db/client.ts';
import { audit, auditActorOf } from '../../platform/audit/audit.ts';
import { errorFactory } from '../../platform/errors.ts';
import { authorize } from '../../policies/index.ts';
import type { Actor } from '../../policies/actor.ts';
import { registersRepo, type RegisterKind } from './registers.repository.ts';
import { DOCUMENT_TYPE_CODES } from './document-types.ts';

export const registerNotFound = errorFactory({ code: 'register.not_found', status: 404, message: 'Không tìm thấy sổ văn bản.' });
export const registerNameTaken = errorFactory({ code: 'register.name_taken', status: 409, message: 'Đã có sổ cùng tên.' });

const DEFAULTS: { kind: RegisterKind; name: string; isSecret: boolean }[] = [
  { kind: 'outgoing', name: 'Sổ đăng ký văn bản đi', isSecret: false },
  { kind: 'outgoing', name: 'Sổ đăng ký văn bản đi (Mật)', isSecret: true },
  { kind: 'incoming', name: 'Sổ đăng ký văn bản đến', isSecret: false },
  { kind: 'incoming', name: 'Sổ đăng ký văn bản đến (Mật)', isSecret: true },
  { kind: 'copy', name: 'Sổ đăng ký bản sao', isSecret: false },
];

/** The year of a moment in Vietnam (numbers restart at 01 on 1 January, Vietnamese time). */
export function vietnamYear(at: Date): number {
  return Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric' }).format(at));
}

/** Creates an agency's default registers (one series per kind, a separate one for Mật) if missing. */
export async function ensureDefaultRegisters(tx: Db, agencyId: string): Promise<void> {
  for (const d of DEFAULTS) await registersRepo.insert(tx, { agencyId, ...d, documentTypes: null });
}

/**
 * The register a document is numbered in: among the agency's active registers of that kind and
 * secrecy, one that lists the document type, else one for all types (created on first use).
 */
export async function resolveRegister(tx: Db, o: { agencyId: string; kind: RegisterKind; isSecret: boolean; typeCode?: string }) {
  let candidates = await registersRepo.findActive(tx, o.agencyId, o.kind, o.isSecret);
  if (candidates.length === 0) {
    await ensureDefaultRegisters(tx, o.agencyId);
    candidates = await registersRepo.findActive(tx, o.agencyId, o.kind, o.isSecret);
  }
  const specific = o.typeCode ? candidates.find((r) => r.documentTypes?.includes(o.typeCode ?? '')) : undefined;
  const general = candidates.find((r) => !r.documentTypes || r.documentTypes.length === 0);
  const chosen = specific ?? general ?? candidates[0];
  if (!chosen) throw registerNotFound({ kind: o.kind });
  return chosen;
}

/**
 * Takes the next number for a document inside the caller's transaction (Art. 15, Art. 22): the number
 * is used only if that transaction commits; concurrent callers never get the same number.
 */
export async function allocateNumber(tx: Db, o: { agencyId: string; kind: RegisterKind; isSecret: boolean; typeCode?: string; at: Date }) {
  const register = await resolveRegister(tx, o);
  const year = vietnamYear(o.at);
  const number = await registersRepo.takeNext(tx, register.id, year);
  return { registerId: register.id, registerName: register.name, year, number };
}

export const ZRegisterBody = z.object({
  kind: z.enum(['incoming', 'outgoing', 'copy']).describe('Loại sổ'),
  name: z.string().trim().min(1).max(200).describe('Tên sổ'),
  isSecret: z.boolean().default(false).describe('Sổ riêng cho văn bản Mật'),
  documentTypes: z.array(z.enum(DOCUMENT_TYPE_CODES)).nullable().default(null).describe('Các loại văn bản đăng ký vào sổ này (trống: mọi loại)'),
}).strict();
export const ZUpdateRegisterBody = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  isActive: z.boolean().optional(),
  documentTypes: z.array(z.enum(DOCUMENT_TYPE_CODES)).nullable().optional(),
}).strict();

/** The agency's registers with this year's last number. Throws forbidden. */
export async function listRegisters(c: { db: Db; actor: Actor }) {
  authorize(c.actor, 'register.view', { agencyId: c.actor.agencyId });
  await ensureDefaultRegisters(c.db, c.actor.agencyId);
  const year = vietnamYear(new Date());
  const rows = await registersRepo.listByAgency(c.db, c.actor.agencyId);
  return Promise.all(rows.map(async (r) => ({ ...r, year, lastNumber: await registersRepo.peekLast(c.db, r.id, year) })));
}

/** Creates a register (e.g. one series for Quyết định). Throws forbidden, register.name_taken. */
export async function createRegister(c: { db: Kysely<DB>; actor: Actor; body: z.infer<typeof ZRegisterBody>; ip?: string }) {
  return c.db.transaction().execute(async (tx) => {
    authorize(c.actor, 'register.manage', { agencyId: c.actor.agencyId });
    const row = await registersRepo.insert(tx, { agencyId: c.actor.agencyId, ...c.body });
    if (!row) throw registerNameTaken();
    await audit(tx, auditActorOf(c.actor, c.ip), { type: 'REGISTER_CREATED', entityType: 'register', entityId: row.id, data: c.body });
    return row;
  });
}

/** Renames, (de)activates a register or changes its document types. Throws register.not_found, forbidden, register.name_taken. */
export async function updateRegister(c: { db: Kysely<DB>; actor: Actor; id: string; body: z.infer<typeof ZUpdateRegisterBody>; ip?: string }) {
  return c.db.transaction().execute(async (tx) => {
    const existing = await registersRepo.findById(tx, c.id);
    if (!existing || existing.agencyId !== c.actor.agencyId) throw registerNotFound();
    authorize(c.actor, 'register.manage', existing);
    // the name is unique per agency and kind: a clash is the admin's to fix, not a 500
    const namesake = c.body.name ? (await registersRepo.listByAgency(tx, existing.agencyId)).find((r) => r.kind === existing.kind && r.name === c.body.name && r.id !== c.id) : undefined;
    if (namesake) throw registerNameTaken();
    const row = await registersRepo.update(tx, c.id, c.body);
    await audit(tx, auditActorOf(c.actor, c.ip), { type: 'REGISTER_UPDATED', entityType: 'register', entityId: row.id, data: c.body });
    return row;
  });
}
