import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Vietnamese with every tone on every vowel that takes one, đ/Đ and the capitals: what a generated PDF must draw and give back. */
export const VIETNAMESE_SAMPLE = [
  'ắ ằ ẳ ẵ ặ ấ ầ ẩ ẫ ậ á à ả ã ạ ế ề ể ễ ệ é è ẻ ẽ ẹ í ì ỉ ĩ ị',
  'ố ồ ổ ỗ ộ ớ ờ ở ỡ ợ ó ò ỏ õ ọ ứ ừ ử ữ ự ú ù ủ ũ ụ ý ỳ ỷ ỹ ỵ Đ đ',
  'ẮẰẲẴẶ ẤẦẨẪẬ ẾỀỂỄỆ ỐỒỔỖỘ ỚỜỞỠỢ ỨỪỬỮỰ ỲỶỸỴ Ủy ban nhân dân xã Hòa Bình',
] as const;

/** `bytes` written to a new temporary file, for the tools that read only files (pdffonts, qpdf). */
export function pdfFile(bytes: Uint8Array): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'vanthu-fonts-')), 'generated.pdf');
  writeFileSync(file, bytes);
  return file;
}

/** A PDF's fonts as poppler's pdffonts lists them: the name and whether the font is embedded, a subset, with /ToUnicode. */
export function pdfFonts(bytes: Uint8Array): { name: string; isEmbedded: boolean; isSubset: boolean; hasToUnicode: boolean }[] {
  return execFileSync('pdffonts', [pdfFile(bytes)], { encoding: 'utf8' }).trim().split('\n').slice(2).map((line) => {
    const cells = line.trim().split(/\s+/);
    const [emb, sub, uni] = cells.slice(-5, -2);
    return { name: cells[0] ?? '', isEmbedded: emb === 'yes', isSubset: sub === 'yes', hasToUnicode: uni === 'yes' };
  });
}
