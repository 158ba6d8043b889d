import { vietnamParts } from '../../../platform/dates.ts';
import { STATUS_CODES, type TEdxmlHeader, type TStatusHeader } from './edxml.schemas.ts';

/** Value formats of QCVN 102:2016 and checks of a header before it is built. */

const AGENCY_CODE = /^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$/;
const DATE = /^\d{4}\/(0[1-9]|1[0-2])\/(0[1-9]|[12]\d|3[01])$/;
const TIMESTAMP = /^\d{4}\/(0[1-9]|1[0-2])\/(0[1-9]|[12]\d|3[01]) ([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/;

/** Formats a date as `yyyy/MM/dd` in Vietnam time (PromulgationDate, DueDate). */
export function formatEdxmlDate(date: Date): string {
  const p = vietnamParts(date);
  return `${p.year}/${p.month}/${p.day}`;
}

/** Formats an instant as `yyyy/MM/dd HH:mm:ss` in Vietnam time (TraceHeader and status Timestamp). */
export function formatEdxmlTimestamp(date: Date): string {
  const p = vietnamParts(date);
  return `${p.year}/${p.month}/${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/** True for an agency identifier (mã định danh) such as `000.00.00.G22`. */
export function isAgencyCode(value: string): boolean {
  return AGENCY_CODE.test(value);
}

/** True for a `yyyy/MM/dd` date string. */
export function isEdxmlDate(value: string): boolean {
  return DATE.test(value);
}

/** True for a `yyyy/MM/dd HH:mm:ss` timestamp string. */
export function isEdxmlTimestamp(value: string): boolean {
  return TIMESTAMP.test(value);
}

/**
 * Builds a DocumentId `OrganId,yyyy/MM/dd,số/ký hiệu`, e.g. `000.00.00.G22,2018/09/20,7816/VPCP-TTĐT`.
 * `date` is a Date (formatted in Vietnam time) or an already formatted `yyyy/MM/dd` string;
 * `notation` is the full "số/ký hiệu" (e.g. `7816/VPCP-TTĐT`).
 */
export function makeDocumentId(organId: string, date: Date | string, notation: string): string {
  const day = typeof date === 'string' ? date : formatEdxmlDate(date);
  return `${organId},${day},${notation}`;
}

/**
 * The DocumentIds that name one document: `documentId` itself and, when its số is below 10, the same with
 * the số written the other way (`…,2/UBND-TH` ⇄ `…,02/UBND-TH`): senders wrote the integer and now write the
 * số as printed (ND 30 Phụ lục I), and one that derives the DocumentId of a recall from its number again
 * may name a document it sent under the other form.
 */
export function documentIdForms(documentId: string): string[] {
  const m = /^([^,]*,[^,]*,)(0?)([1-9]\/.*)$/s.exec(documentId);
  if (!m) return [documentId];
  return [documentId, `${m[1]}${m[2] ? '' : '0'}${m[3]}`];
}

export type HeaderIssue = { path: string; message: string };

function checkOrgan(issues: HeaderIssue[], path: string, organId: string) {
  if (!isAgencyCode(organId)) issues.push({ path, message: `Mã định danh "${organId}" không đúng dạng 000.00.00.A00` });
}

function checkDate(issues: HeaderIssue[], path: string, value: string | undefined) {
  if (value !== undefined && !isEdxmlDate(value)) issues.push({ path, message: `Ngày "${value}" phải có dạng yyyy/MM/dd` });
}

function checkTimestamp(issues: HeaderIssue[], path: string, value: string) {
  if (!isEdxmlTimestamp(value)) issues.push({ path, message: `Thời điểm "${value}" phải có dạng yyyy/MM/dd HH:mm:ss` });
}

function checkDocumentId(issues: HeaderIssue[], path: string, value: string | undefined) {
  if (value === undefined) return;
  const [organ, day, ...rest] = value.split(',');
  if (!organ || !isAgencyCode(organ) || !day || !isEdxmlDate(day) || rest.join(',').length === 0) {
    issues.push({ path, message: `DocumentId "${value}" phải có dạng "OrganId,yyyy/MM/dd,số/ký hiệu"` });
  }
}

function checkBussiness(issues: HeaderIssue[], header: TEdxmlHeader) {
  const b = header.traceHeaderList.bussiness;
  if (!b) return;
  const at = 'traceHeaderList.bussiness';
  if (![0, 1, 2, 3].includes(b.bussinessDocType)) issues.push({ path: `${at}.bussinessDocType`, message: 'BussinessDocType phải là 0, 1, 2 hoặc 3' });
  if (b.paper !== undefined && b.paper !== 0 && b.paper !== 1) issues.push({ path: `${at}.paper`, message: 'Paper phải là 0 hoặc 1' });
  checkDocumentId(issues, `${at}.documentId`, b.documentId);
  if (b.bussinessDocType === 0) return;
  if (!b.documentId) issues.push({ path: `${at}.documentId`, message: 'Thu hồi/cập nhật/thay thế cần DocumentId của văn bản gốc' });
  if (!b.bussinessDocReason) issues.push({ path: `${at}.bussinessDocReason`, message: 'Thu hồi/cập nhật/thay thế cần lý do (BussinessDocReason)' });
  if (b.bussinessDocType === 2 && !b.bussinessDocumentInfo) issues.push({ path: `${at}.bussinessDocumentInfo`, message: 'Cập nhật cần BussinessDocumentInfo' });
  if (b.bussinessDocType === 3 && !b.replacementInfoList?.length) issues.push({ path: `${at}.replacementInfoList`, message: 'Thay thế cần ReplacementInfoList' });
}

/** Checks the value formats of a document header; returns the problems (empty when it can be built). */
export function checkEdxmlHeader(header: TEdxmlHeader): HeaderIssue[] {
  const issues: HeaderIssue[] = [];
  const m = header.messageHeader;
  checkOrgan(issues, 'messageHeader.from.organId', m.from.organId);
  m.to.forEach((to, i) => checkOrgan(issues, `messageHeader.to.${i}.organId`, to.organId));
  checkDocumentId(issues, 'messageHeader.documentId', m.documentId);
  checkDate(issues, 'messageHeader.promulgationInfo.promulgationDate', m.promulgationInfo.promulgationDate);
  checkDate(issues, 'messageHeader.dueDate', m.dueDate);
  const priority = m.otherInfo?.priority;
  if (priority !== undefined && (priority < 0 || priority > 4)) issues.push({ path: 'messageHeader.otherInfo.priority', message: 'Priority phải từ 0 đến 4' });
  m.responseFor?.forEach((r, i) => checkDate(issues, `messageHeader.responseFor.${i}.promulgationDate`, r.promulgationDate));
  header.traceHeaderList.traceHeader.forEach((t, i) => checkTimestamp(issues, `traceHeaderList.traceHeader.${i}.timestamp`, t.timestamp));
  checkBussiness(issues, header);
  return issues;
}

/** Checks the value formats of a status header; returns the problems (empty when it can be built). */
export function checkStatusHeader(header: TStatusHeader): HeaderIssue[] {
  const issues: HeaderIssue[] = [];
  const m = header.messageHeader;
  checkOrgan(issues, 'messageHeader.from.organId', m.from.organId);
  checkOrgan(issues, 'messageHeader.responseFor.organId', m.responseFor.organId);
  checkDate(issues, 'messageHeader.responseFor.promulgationDate', m.responseFor.promulgationDate);
  checkDocumentId(issues, 'messageHeader.responseFor.documentId', m.responseFor.documentId);
  if (!(m.statusCode in STATUS_CODES)) issues.push({ path: 'messageHeader.statusCode', message: `StatusCode "${m.statusCode}" không thuộc 01–06, 13, 15, 16` });
  checkTimestamp(issues, 'messageHeader.timestamp', m.timestamp);
  header.traceHeaderList?.traceHeader.forEach((t, i) => checkTimestamp(issues, `traceHeaderList.traceHeader.${i}.timestamp`, t.timestamp));
  return issues;
}
