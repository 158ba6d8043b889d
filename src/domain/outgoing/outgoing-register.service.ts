import { authorize } from '../../policies/index.ts';
import { vietnamYear } from '../registers/registers.service.ts';
import { documentType, formatDocumentNumber } from '../registers/document-types.ts';
import { exportRegisterPdf, exportRegisterXlsx, OUTGOING_REGISTER_COLUMNS } from '../registers/register-export.ts';
import { formatVnDate } from '../signing/appearance/appearance.time.ts';
import { outgoingRepo } from './outgoing.repository.ts';
import type { Ctx } from './outgoing.context.ts';
import { agencyHeading } from '../orgs/orgs.service.ts';
import { findUsersByIds } from '../users/users.directory.ts';

export type RegisterQuery = { year?: number; secret?: 'true' | 'false'; from?: string; to?: string; typeCode?: string; search?: string };

/**
 * The outgoing register (sổ đăng ký văn bản đi) as the ten columns of ND 30 Phụ lục IV §3.1, filtered;
 * Mật entries only for their participants (the list is the visibility rule as SQL). Throws forbidden.
 */
export async function outgoingRegister(c: Ctx & { query: RegisterQuery }) {
  authorize(c.actor, 'outgoing.register', { agencyId: c.actor.agencyId });
  const year = c.query.year ?? vietnamYear(new Date());
  const docs = await outgoingRepo.listRegister(c.db, c.actor, { year, isSecret: c.query.secret === undefined ? undefined : c.query.secret === 'true', from: c.query.from, to: c.query.to, typeCode: c.query.typeCode, search: c.query.search });
  const signers = new Map((await findUsersByIds(c.db, [...new Set(docs.map((d) => d.approvedBy).filter((x): x is string => !!x))])).map((u) => [u.id, u]));
  const rows = [];
  for (const d of docs) {
    const recipients = await outgoingRepo.listRecipients(c.db, d.id);
    const issued = d.issuedAt ? formatVnDate(d.issuedAt) : '';
    rows.push({
      id: d.id, isSecret: d.isSecret, status: d.status,
      cells: [
        `${d.number === null ? '' : formatDocumentNumber(d.number)}/${d.notation ?? ''}`, issued, `${documentType(d.typeCode)?.name ?? ''}: ${d.subject}`,
        signers.get(d.approvedBy ?? '')?.fullName ?? '', recipients.map((r) => r.name).join('; ') || d.recipientsText, archiveNoteOf(d), String(d.copies),
        issued, '', [d.isSecret ? 'Mật' : '', d.status === 'recalled' ? 'Đã thu hồi' : '', d.status === 'replaced' ? 'Đã bị thay thế' : ''].filter(Boolean).join('; '),
      ],
    });
  }
  return { year, columns: OUTGOING_REGISTER_COLUMNS.map((col) => col.header), rows };
}

/**
 * Column (6) "Đơn vị, người nhận bản lưu": the field when the drafter filled it, else what the Nơi nhận
 * printed on the document says after "Lưu:" ("- Lưu: VT, TH." → "VT, TH") — drafters write it there
 * (ND 30 Phụ lục I: the last line of Nơi nhận) and seldom twice.
 */
export function archiveNoteOf(d: { archiveNote: string; recipientsText: string }): string {
  if (d.archiveNote.trim()) return d.archiveNote.trim();
  const line = d.recipientsText.split('\n').map((l) => l.trim()).find((l) => /^-?\s*Lưu\s*:/iu.test(l.normalize('NFC')));
  return line ? line.normalize('NFC').replace(/^-?\s*Lưu\s*:\s*/iu, '').replace(/[.;,\s]+$/u, '') : '';
}

/** The register exported as XLSX or a printable PDF (cover page + ten columns). Throws forbidden. */
export async function exportOutgoingRegister(c: Ctx & { query: RegisterQuery; format: 'xlsx' | 'pdf' }) {
  const register = await outgoingRegister(c);
  const heading = await agencyHeading(c.db, c.actor.agencyId);
  const sheet = {
    title: 'SỔ ĐĂNG KÝ VĂN BẢN ĐI', agencyName: heading.name, parentAgencyName: heading.governingName ?? undefined, year: register.year,
    fromDate: c.query.from, toDate: c.query.to, fromNumber: register.rows[0]?.cells[0], toNumber: register.rows.at(-1)?.cells[0],
    columns: OUTGOING_REGISTER_COLUMNS, rows: register.rows.map((r) => r.cells),
  };
  return c.format === 'xlsx' ? exportRegisterXlsx(sheet) : exportRegisterPdf(sheet);
}
