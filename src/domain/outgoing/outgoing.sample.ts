/**
 * A sample draft in the ND 30 layout (Quốc hiệu, tên cơ quan, "Số:", tên loại, trích yếu, nội dung,
 * nơi nhận, chức vụ and name of the signer), made with pdf-lib and the bundled Liberation fonts. It
 * backs the "sample draft" button of the demo and the end-to-end tests; real drafts come from Word.
 */
import { readFile } from 'node:fs/promises';
import { PDFDocument, rgb } from '@cantoo/pdf-lib';
import fontkit from '@pdf-lib/fontkit';
import { wrap } from '../registers/register-export.ts';

const FONTS = new URL('../../../assets/fonts/', import.meta.url);

export type SampleDraft = {
  agencyName: string; parentName?: string; notation: string; typeName: string | null; subject: string; body: string[];
  recipients: string[]; competence?: string | null; position: string; signerName: string; appendix?: boolean;
};

/** Builds a one-page A4 draft (or, with `appendix`, a one-page appendix) as PDF bytes. */
export async function buildSampleDraft(o: SampleDraft): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  // Whole fonts: @pdf-lib/fontkit's subsetter fails on the Liberation fonts (TTFSubset.encode).
  const [regular, bold] = await Promise.all(['LiberationSerif-Regular.ttf', 'LiberationSerif-Bold.ttf']
    .map(async (f) => doc.embedFont(await readFile(new URL(f, FONTS)), { subset: false })));
  if (!regular || !bold) throw new Error('fonts missing');
  const page = doc.addPage([595.28, 841.89]);
  const black = rgb(0, 0, 0);
  const centre = (text: string, cx: number, y: number, size: number, font = regular) =>
    page.drawText(text, { x: cx - font.widthOfTextAtSize(text, size) / 2, y, size, font, color: black });
  const left = 85;
  if (o.appendix) {
    centre('Phụ lục', 297, 760, 14, bold);
    centre(o.subject.toLocaleUpperCase('vi'), 297, 740, 13, bold);
    o.body.forEach((line, i) => page.drawText(line, { x: left, y: 700 - i * 20, size: 13, font: regular }));
    return doc.save({ useObjectStreams: false });
  }
  centre((o.parentName ?? '').toLocaleUpperCase('vi'), 170, 790, 12);
  centre(o.agencyName.toLocaleUpperCase('vi'), 170, 775, 12, bold);
  centre(`Số:        /${o.notation}`, 170, 750, 13);
  centre('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 400, 790, 12, bold);
  centre('Độc lập - Tự do - Hạnh phúc', 400, 775, 13, bold);
  let y = 690;
  if (o.typeName) {
    centre(o.typeName.toLocaleUpperCase('vi'), 297, y, 14, bold);
    centre(o.subject, 297, y - 18, 13, bold);
    y -= 60;
  } else {
    // A công văn's trích yếu starts with "V/v" (ND 30 Phụ lục I, ô 5b), once even when the drafter typed it.
    centre(/^v\/v\s/i.test(o.subject) ? o.subject : `V/v ${o.subject}`, 170, 730, 12);
  }
  // Each paragraph wrapped to the text width, with the line height advancing per wrapped line.
  for (const line of o.body.flatMap((p) => wrap(p, regular, 13, 440))) {
    page.drawText(line, { x: left, y, size: 13, font: regular });
    y -= 20;
  }
  y -= 20;
  page.drawText('Nơi nhận:', { x: left, y, size: 12, font: bold });
  o.recipients.forEach((r, i) => page.drawText(`- ${r};`, { x: left, y: y - 14 - i * 13, size: 11, font: regular }));
  const cx = 420;
  const position = `${o.competence ? `${o.competence}. ` : ''}${o.position}`.toLocaleUpperCase('vi');
  centre(position, cx, y, 13, bold);
  centre(o.signerName, cx, y - 110, 13, bold);
  return doc.save({ useObjectStreams: false });
}
