import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { convertToPdf } from '../files/files.service.ts';

const run = promisify(execFile);

/**
 * A paper document as a scanner gives it: `html` (the document as typed) converted by LibreOffice, then
 * printed by Ghostscript at 200 dpi in grey, turned `angle` degrees (a sheet fed a little askew), sprinkled
 * with the specks of a copied page (the same ones for the same `seed`), saved as JPEG at quality 75 and put
 * into a PDF by img2pdf: an image-only PDF, some 300 KB a page.
 */
export async function makePaperScan(html: string, o: { angle?: number; seed?: number } = {}): Promise<Uint8Array> {
  const dir = await mkdtemp(path.join(tmpdir(), 'vanthu-paper-'));
  try {
    await writeFile(path.join(dir, 'typed.pdf'), await convertToPdf(new TextEncoder().encode(html), 'van-ban.html'));
    const specks = `${o.seed ?? 7} srand 0.35 setgray 4000 { rand 595 mod rand 842 mod 0.5 0.5 rectfill } repeat 0.85 setgray 400 { rand 595 mod rand 842 mod 1.2 0.8 rectfill } repeat`;
    const page = `<< /BeginPage { pop 297 421 translate ${o.angle ?? 0.8} rotate -297 -421 translate } /EndPage { exch pop 2 ne { gsave initgraphics ${specks} grestore true } { false } ifelse } >> setpagedevice`;
    await run('gs', ['-q', '-dNOPAUSE', '-dBATCH', '-dSAFER', '-sDEVICE=jpeggray', '-dJPEGQ=75', '-r200', `-sOutputFile=${path.join(dir, 'page-%02d.jpg')}`, '-c', page, '-f', path.join(dir, 'typed.pdf')]);
    const pages = (await readdir(dir)).filter((f) => f.startsWith('page-')).sort().map((f) => path.join(dir, f));
    await run('img2pdf', ['--output', path.join(dir, 'scan.pdf'), ...pages]);
    return new Uint8Array(await readFile(path.join(dir, 'scan.pdf')));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * An administrative document laid out as Nghị định 30/2020 Phụ lục I has it, as HTML for makePaperScan:
 * the two-column header — `governing` and `issuer` (ô 1–2), «Số: `number`» (ô 3) and a công văn's «V/v …»
 * (5b) on the left, the national motto and `placeDate` (ô 4) on the right — then `body` and the signature
 * block beside «Nơi nhận».
 */
export function nd30Html(o: { governing: string; issuer: string; number: string; vv?: string; placeDate: string; body: string; position: string; signer: string }): string {
  const cell = 'align="center" valign="top"';
  return `<html><head><meta charset="utf-8"><style>body{font-family:'Liberation Serif';font-size:13pt}p{text-indent:1cm;margin:6pt 0}</style></head><body>
<table width="100%" cellspacing="0" cellpadding="0"><tr><td ${cell} width="40%">${o.governing}<br><b>${o.issuer}</b><br>―――――<br>Số: ${o.number}${o.vv ? `<br><span style="font-size:12pt">${o.vv}</span>` : ''}</td>
<td ${cell} width="60%"><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b><br><b>Độc lập - Tự do - Hạnh phúc</b><br>――――――――――――<br><br><i>${o.placeDate}</i></td></tr></table>
${o.body}
<table width="100%"><tr><td width="50%" valign="top" style="font-size:11pt"><b><i>Nơi nhận:</i></b><br>- Như trên;<br>- Lưu: VT.</td><td ${cell}><b>${o.position}</b><br><br><br><br><b>${o.signer}</b></td></tr></table></body></html>`;
}
