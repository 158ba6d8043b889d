/**
 * A one-page A4 document in the ND 30 layout (Phụ lục I: tên cơ quan, "Số:", Quốc hiệu, tên loại and
 * trích yếu, or "V/v" under the number for a công văn, nội dung, nơi nhận, chức vụ and name of the
 * signer), drawn with pdf-lib and the bundled Liberation fonts: no tool, no network. As a draft it
 * leaves the số and the date blank, for issuing to stamp them at the anchors it finds (outgoing.pdf.ts);
 * as a letter another agency issued (the demo's scanned post) it prints them. It backs the "sample
 * draft" button of the demo, the demo's documents and the tests; real drafts come from Word.
 */
import { PDFDocument, rgb, type PDFFont } from '@cantoo/pdf-lib';
import { embedSerifFonts } from '../documents/pdf-fonts.ts';
import { wrap } from '../registers/register-export.ts';

export type SampleDraft = {
  agencyName: string; parentName?: string; notation: string; typeName: string | null; subject: string; body: string[];
  recipients: string[]; competence?: string | null;
  /** The signer's title block, one line per line: "KT. Giám đốc\nPhó Giám đốc" (ND 30 Phụ lục I, ô 7a). */
  position: string; signerName: string; appendix?: boolean;
  /** An issued document's số/ký hiệu ("548/TB-VPCP") and "Hà Nội, ngày … tháng … năm …", printed; a draft has neither. */
  issued?: { numberText: string; placeDate: string };
};

/** Builds a one-page A4 document (or, with `appendix`, a one-page appendix) as PDF bytes. */
export async function buildSampleDraft(o: SampleDraft): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const { regular, bold } = await embedSerifFonts(doc);
  const page = doc.addPage([595.28, 841.89]);
  const draw = (text: string, x: number, y: number, size: number, font: PDFFont = regular) => page.drawText(text, { x, y, size, font, color: rgb(0, 0, 0) });
  const centre = (text: string, cx: number, y: number, size: number, font: PDFFont = regular) => draw(text, cx - font.widthOfTextAtSize(text, size) / 2, y, size, font);
  const left = 85;
  if (o.appendix) {
    centre('Phụ lục', 297, 760, 14, bold);
    centre(o.subject.toLocaleUpperCase('vi'), 297, 740, 13, bold);
    o.body.forEach((line, i) => draw(line, left, 700 - i * 20, 13));
    return doc.save({ useObjectStreams: false });
  }
  centre((o.parentName ?? '').toLocaleUpperCase('vi'), 165, 790, 12);
  // A long agency name takes two lines rather than running into the Quốc hiệu; "Số:" goes down with it.
  const agency = wrap(o.agencyName.toLocaleUpperCase('vi'), bold, 12, 250);
  agency.forEach((line, i) => centre(line, 165, 775 - i * 14, 12, bold));
  const numberY = 750 - 14 * (agency.length - 1);
  centre(o.issued ? `Số: ${o.issued.numberText}` : `Số:        /${o.notation}`, 165, numberY, 13);
  centre('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 400, 790, 12, bold);
  centre('Độc lập - Tự do - Hạnh phúc', 400, 775, 13, bold);
  if (o.issued) centre(o.issued.placeDate, 400, 750, 13);
  let y = 690;
  if (o.typeName) {
    const subject = wrap(o.subject, bold, 13, 420);
    centre(o.typeName.toLocaleUpperCase('vi'), 297, y, 14, bold);
    subject.forEach((line, i) => centre(line, 297, y - 18 - i * 17, 13, bold));
    y -= 60 + 17 * (subject.length - 1);
  } else {
    // A công văn's trích yếu starts with "V/v" (ND 30 Phụ lục I, ô 5b), once even when the drafter typed it.
    const subject = /^v\/v\s/i.test(o.subject) ? o.subject : `V/v ${o.subject}`;
    const lines = wrap(subject, regular, 12, 230);
    lines.forEach((line, i) => centre(line, 165, numberY - 18 - i * 14, 12));
    y = Math.min(y, numberY - 18 - 14 * (lines.length - 1) - 36);
  }
  // Each paragraph wrapped to the text width, with the line height advancing per wrapped line.
  for (const line of o.body.flatMap((p) => wrap(p, regular, 13, 440))) {
    draw(line, left, y, 13);
    y -= 20;
  }
  y -= 20;
  draw('Nơi nhận:', left, y, 12, bold);
  o.recipients.forEach((r, i) => draw(`- ${r};`, left, y - 14 - i * 13, 11));
  const position = `${o.competence ? `${o.competence}. ` : ''}${o.position}`.split('\n');
  position.forEach((line, i) => centre(line.toLocaleUpperCase('vi'), 420, y - i * 16, 13, bold));
  // A paper copy of a signed document says so where the signature is.
  if (o.issued) centre('(Đã ký)', 420, y - 55, 12);
  centre(o.signerName, 420, y - 110, 13, bold);
  return doc.save({ useObjectStreams: false });
}
