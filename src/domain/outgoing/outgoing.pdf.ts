/**
 * Where things go on an outgoing document (ND 30 Phụ lục I): the approval signature image at ô 7c
 * (centred on the signer's name, between position and name), the seal over its left third at ô 8, the
 * number after "Số:" (ô 3) and the place + date under the motto (ô 4) — or, in templates, over the
 * placeholders "[SỐ]" and "[NGÀY BAN HÀNH]". The appendix stamp goes top right of page 1.
 */
import { findAnchor, type FoundAnchor } from '../signing/appearance/appearance.anchor.ts';
import { attachmentStampPreset, sealPreset, signerPreset } from '../signing/appearance/appearance.presets.ts';
import { loadFont, textWidth } from '../signing/appearance/appearance.font.ts';
import type { Box } from '../signing/appearance/appearance.types.ts';
import { openPdf } from '../signing/pdf/reader.ts';
import { countPages } from '../signing/pdf/structure.ts';
import { pageSize as enginePageSize } from '../signing/signing.placeholder.ts';
import type { WidgetPlacement } from '../signing/signing.placeholder.ts';
import type { IssueAnchor } from '../signing/signing.issue.ts';
import { outgoingNoAnchor } from './outgoing.errors.ts';

/** Where the approval image went: the seal is placed from it at issue time (stored as JSON). */
export type ApprovalWidget = { page: number; rect: Box };

const dryAllocator = () => {
  let n = 1;
  return () => n++;
};

function pageSize(pdf: Uint8Array, page: number): { width: number; height: number; pages: number } {
  const doc = openPdf(pdf);
  return { ...enginePageSize(doc, page), pages: countPages(doc) };
}

/**
 * The approval signature widget: the signer image centred on the last occurrence of the first of
 * `names` the draft prints (the one signing, then — for a deputy signing KT. — the leader named on the
 * draft), with the position line above when found, else at the bottom right of the last page.
 */
export async function approvalPlacement(pdf: Uint8Array, o: { names: string[]; position: string; image: Uint8Array }): Promise<{ widget: WidgetPlacement; placed: ApprovalWidget }> {
  let name = null;
  for (const candidate of o.names) if (candidate && !name) name = await findAnchor(pdf, candidate, { occurrence: 'last' });
  const position = name && o.position ? await positionLine(pdf, o.position, name) : null;
  let page: number;
  let nameBox: Box;
  if (name) {
    page = name.pageIndex;
    nameBox = name;
  } else {
    const last = pageSize(pdf, 0).pages - 1;
    const size = pageSize(pdf, last);
    page = last;
    nameBox = { x: size.width - 20 * 2.835 - 170, y: 90, width: 170, height: 14 };
  }
  const positionBox = position && position.y > nameBox.y ? position : undefined;
  const opts = { png: o.image, nameBox, positionBox };
  const rect = signerPreset(opts, dryAllocator()).rect;
  return { placed: { page, rect }, widget: { page, rect: [rect.x, rect.y, rect.width, rect.height], appearance: (alloc) => signerPreset(opts, alloc) } };
}

// How far above the signer's name its position line can be (ô 7a over 7b, room for the signature between),
// and how far off the name's centre its centre (both are centred in the signature block).
const POSITION_MAX_GAP = 60 * 2.835;
const POSITION_MAX_OFFSET = 45;

/**
 * The position line (ô 7a/7b) above the signer's name: the position as entered, in capitals, else a
 * shorter form of it ("Chủ tịch Ủy ban nhân dân tỉnh" → "CHỦ TỊCH"; "Phó Chủ tịch" → "CHỦ TỊCH" under
 * "KT. CHỦ TỊCH"), taken only above the name, close to it and centred on it — a mention in the body
 * text ("Ủy ban nhân dân tỉnh đề nghị…") is not it.
 */
async function positionLine(pdf: Uint8Array, position: string, name: FoundAnchor): Promise<FoundAnchor | null> {
  const words = position.toLocaleUpperCase('vi').split(/\s+/).filter(Boolean);
  const forms = [words.join(' ')];
  // Printed positions are two to four words ("CHỦ TỊCH", "PHÓ GIÁM ĐỐC"); each form costs a pass of pdf.js.
  for (let n = Math.min(4, words.length - 1); n >= 2; n--) forms.push(words.slice(0, n).join(' '), words.slice(words.length - n).join(' '));
  for (const form of new Set(forms)) {
    const hit = await findAnchor(pdf, form, { occurrence: 'last', pageIndex: name.pageIndex });
    if (hit && hit.y > name.y && hit.y - name.y < POSITION_MAX_GAP && Math.abs(centre(hit) - centre(name)) < POSITION_MAX_OFFSET) return hit;
  }
  return null;
}

const centre = (b: Box) => b.x + b.width / 2;

/** The seal widget over the left third of the approval image (or, without one, bottom right of the last page). */
export function sealPlacement(pdf: Uint8Array, o: { image: Uint8Array; approval: ApprovalWidget | null }): WidgetPlacement {
  const pages = pageSize(pdf, 0).pages;
  const size = pageSize(pdf, pages - 1);
  const approval = o.approval ?? { page: pages - 1, rect: { x: size.width - 230, y: 100, width: 150, height: 60 } };
  const opts = { png: o.image, signerRect: approval.rect };
  const rect = sealPreset(opts, dryAllocator()).rect;
  return { page: approval.page, rect: [rect.x, rect.y, rect.width, rect.height], appearance: (alloc) => sealPreset(opts, alloc) };
}

/** The appendix stamp (Số và ký hiệu; date; time +07:00, 10 pt) top right of page 1. */
export function appendixStampPlacement(pdf: Uint8Array, o: { number: string; signedAt: Date }): WidgetPlacement {
  const page = pageSize(pdf, 0);
  const opts = { number: o.number, signedAt: o.signedAt, page };
  const rect = attachmentStampPreset(opts, dryAllocator()).rect;
  return { page: 0, rect: [rect.x, rect.y, rect.width, rect.height], appearance: (alloc) => attachmentStampPreset(opts, alloc) };
}

/**
 * The anchors of the number and date, and the number text to draw:
 * - template placeholders "[SỐ]" and "[NGÀY BAN HÀNH]" are written over with "01/QĐ-UBND" and the date;
 * - a draft laid out as ND 30 prints "Số:      /QĐ-UBND" with a blank for the number: that whole line is
 *   written over (white background) as "Số: 01/QĐ-UBND", so nothing is printed twice. When the ký hiệu
 *   printed there is not the one the register gives ("Số: /UBND-VP" for "UBND-TH"), the line is written
 *   over all the same — the register's ký hiệu is the document's — and `printed` says what it covered;
 * - otherwise "01/QĐ-UBND" is written after the label "Số:".
 * The date goes centred under the motto line; when the draft prints its own date line there ("…, ngày …
 * tháng … năm 2026", left blank for the clerk), that line is written over, so the two dates do not
 * overlap — and the number with it, as a preset writes both anchors the same way. Throws outgoing.no_number_anchor.
 */
export async function issueAnchors(pdf: Uint8Array, o: { dateText: string; number: string; notation: string }): Promise<{ numberAnchor: IssueAnchor; dateAnchor: IssueAnchor; mode: 'after' | 'over'; numberText: string; printed?: string }> {
  const full = `${o.number}/${o.notation}`;
  const [number, date] = [await findAnchor(pdf, '[SỐ]'), await findAnchor(pdf, '[NGÀY BAN HÀNH]')];
  if (number && date) return { numberAnchor: number, dateAnchor: date, mode: 'over', numberText: full };
  const [label, motto] = [await findAnchor(pdf, 'Số:', { restOfLine: true }), await findAnchor(pdf, 'Độc lập - Tự do - Hạnh phúc')];
  if (!label || !motto) throw outgoingNoAnchor();
  const drop = motto.fontSize * 1.9;
  const dateLine = await draftDateLine(pdf, motto);
  const under = dateLine ?? { ...motto, y: motto.y - drop, baseline: motto.baseline - drop };
  const { rest, ...box } = label;
  // What the draft prints after "Số:" on that line: a ký hiệu when it has a "/" ("/QĐ-UBND", "   /UBND-VP").
  if (rest && rest.text.includes('/') && rest.right > box.x + box.width) {
    const line = { ...box, width: rest.right - box.x };
    const printed = rest.text.replace(/\s+/g, '');
    return { numberAnchor: line, dateAnchor: under, mode: 'over', numberText: `Số: ${full}`, ...(printed === `/${o.notation}` ? {} : { printed: rest.text }) };
  }
  if (dateLine) {
    // "Số:" alone, written over as "Số: 01/…" starting where the label starts (an 'over' text is centred on its box).
    const numberText = `Số: ${full}`;
    const width = textWidth(loadFont({ family: 'serif', style: 'regular' }), numberText, ISSUE_FONT_SIZE) + 4;
    return { numberAnchor: { ...box, width: Math.max(width, box.width) }, dateAnchor: dateLine, mode: 'over', numberText };
  }
  return { numberAnchor: box, dateAnchor: belowCentred(motto, o.dateText), mode: 'after', numberText: full };
}

// The size issueNumberPreset draws the number and date in (ND 30: 13 pt).
const ISSUE_FONT_SIZE = 13;
// What follows "ngày" on a draft's date line: blanks, dots or digits, "tháng", the same, "năm".
const DATE_LINE_RE = /^[\s.…_\d/-]*tháng[\s.…_\d/-]*năm\b/iu;
// The ways drafts leave the date for the clerk, whitespace being ignored by findAnchor: blanks, "…", "...".
const DATE_LINE_NEEDLES = ['ngày tháng năm', 'ngày … tháng … năm', 'ngày ... tháng ... năm'];

/**
 * The draft's own "<địa danh>, ngày … tháng … năm …" line under the motto (ô 4), as a box from where it
 * starts to where it ends: its end is found, its start is taken where centring under the motto puts it
 * (ND 30 centres the line there; pdf.js gives no line start). Null when the draft prints none there.
 */
async function draftDateLine(pdf: Uint8Array, motto: FoundAnchor): Promise<FoundAnchor | null> {
  const isUnderMotto = (a: FoundAnchor) => a.pageIndex === motto.pageIndex && a.baseline < motto.baseline
    && motto.baseline - a.baseline < motto.fontSize * 4 && a.x > motto.x - motto.width / 2;
  let found: (FoundAnchor & { rest?: { text: string; right: number } }) | null = await findAnchor(pdf, 'ngày', { restOfLine: true, pageIndex: motto.pageIndex });
  if (!found || !isUnderMotto(found) || !DATE_LINE_RE.test(found.rest?.text ?? '')) found = null;
  for (const needle of DATE_LINE_NEEDLES) {
    if (found) break;
    const hit = await findAnchor(pdf, needle, { restOfLine: true, pageIndex: motto.pageIndex });
    if (hit && isUnderMotto(hit)) found = hit;
  }
  if (!found) return null;
  const { rest, ...line } = found;
  const right = Math.max(rest?.right ?? 0, line.x + line.width);
  const centre = motto.x + motto.width / 2;
  const left = Math.min(line.x, centre - (right - centre));
  return { ...line, x: left, width: right - left };
}

// 'after' mode writes at anchor.x + anchor.width + size/4: a zero-width box placed so the text is centred.
function belowCentred(motto: FoundAnchor, text: string): FoundAnchor {
  const size = ISSUE_FONT_SIZE;
  const width = textWidth(loadFont({ family: 'serif', style: 'italic' }), text.normalize('NFC'), size);
  const drop = motto.fontSize * 1.9;
  return { ...motto, x: motto.x + motto.width / 2 - width / 2 - size * 0.25, width: 0, y: motto.y - drop, baseline: motto.baseline - drop };
}
