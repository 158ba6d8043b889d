import { readFile } from 'node:fs/promises';
import { PDFDocument, rgb, type PDFFont } from '@cantoo/pdf-lib';
import fontkit from '@pdf-lib/fontkit';
import { wrap } from '../registers/register-export.ts';

const FONTS = new URL('../../../assets/fonts/', import.meta.url);

/** A document another agency issued, as the demo's clerk scanned it: its number and date are filled in. */
export type DemoLetter = {
  parentName: string; agencyName: string; numberText: string; placeDate: string; typeName: string | null; subject: string;
  body: string[]; recipients: string[]; /** Lines of the signer's title block, e.g. "KT. Giám đốc\nPhó Giám đốc". */ position: string; signerName: string;
};

type Fontkit = typeof fontkit;
let fonts: Promise<[Uint8Array, Uint8Array]> | undefined;
const parsed = new Map<Uint8Array, ReturnType<Fontkit['create']>>();
// The demo draws a dozen letters in the same two fonts: each font file is parsed once (fontkit's font
// objects are only read by pdf-lib), which takes a quarter of the time a letter takes.
const cachedFontkit = { ...fontkit, create: (data: Uint8Array, name?: string) => {
  const known = parsed.get(data);
  if (known) return known;
  const font = fontkit.create(data, name);
  parsed.set(data, font);
  return font;
} } as Fontkit;

/**
 * A one-page A4 PDF in the ND 30 layout (Phụ lục I: tên cơ quan, "Số:", Quốc hiệu, địa danh and date,
 * tên loại and trích yếu, or "V/v" under the number for a công văn, nội dung, nơi nhận, chức vụ and
 * name of the signer), drawn with pdf-lib and the bundled Liberation fonts: no tool, no network.
 */
export async function buildDemoLetter(o: DemoLetter): Promise<Uint8Array> {
  fonts ??= Promise.all(['LiberationSerif-Regular.ttf', 'LiberationSerif-Bold.ttf'].map(async (f) => new Uint8Array(await readFile(new URL(f, FONTS))))) as Promise<[Uint8Array, Uint8Array]>;
  const [regularBytes, boldBytes] = await fonts;
  const doc = await PDFDocument.create();
  doc.registerFontkit(cachedFontkit);
  // Whole fonts: @pdf-lib/fontkit's subsetter fails on the Liberation fonts (see outgoing.sample.ts).
  const regular = await doc.embedFont(regularBytes, { subset: false });
  const bold = await doc.embedFont(boldBytes, { subset: false });
  const page = doc.addPage([595.28, 841.89]);
  const draw = (text: string, x: number, y: number, size: number, font: PDFFont = regular) => page.drawText(text, { x, y, size, font, color: rgb(0, 0, 0) });
  const centre = (text: string, cx: number, y: number, size: number, font: PDFFont = regular) => draw(text, cx - font.widthOfTextAtSize(text, size) / 2, y, size, font);
  centre(o.parentName.toLocaleUpperCase('vi'), 160, 790, 12);
  centre(o.agencyName.toLocaleUpperCase('vi'), 160, 775, 12, bold);
  centre(`Số: ${o.numberText}`, 160, 750, 13);
  centre('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 400, 790, 12, bold);
  centre('Độc lập - Tự do - Hạnh phúc', 400, 775, 13, bold);
  centre(o.placeDate, 400, 750, 13, regular);
  let y = 690;
  if (o.typeName) {
    centre(o.typeName.toLocaleUpperCase('vi'), 297, y, 14, bold);
    wrap(o.subject, bold, 13, 420).forEach((line, i) => centre(line, 297, y - 18 - i * 17, 13, bold));
    y -= 60 + 17 * (wrap(o.subject, bold, 13, 420).length - 1);
  } else {
    wrap(`V/v ${o.subject}`, regular, 12, 230).forEach((line, i) => centre(line, 160, 732 - i * 14, 12));
  }
  for (const line of o.body.flatMap((p) => wrap(p, regular, 13, 440))) {
    draw(line, 85, y, 13);
    y -= 20;
  }
  y -= 20;
  draw('Nơi nhận:', 85, y, 12, bold);
  o.recipients.forEach((r, i) => draw(`- ${r};`, 85, y - 14 - i * 13, 11));
  // "KT. GIÁM ĐỐC" over "PHÓ GIÁM ĐỐC": one line per line of the position.
  o.position.split('\n').forEach((line, i) => centre(line.toLocaleUpperCase('vi'), 420, y - i * 16, 13, bold));
  centre('(Đã ký)', 420, y - 55, 12, regular);
  centre(o.signerName, 420, y - 110, 13, bold);
  return doc.save({ useObjectStreams: false });
}
