import { PDFDocument } from '@cantoo/pdf-lib';
import { describe, expect, test } from 'vitest';
import { copyDict, isDict, pdfArray, pdfRef } from './objects.ts';
import { parseObject } from './parser.ts';
import { getObject, openPdf } from './reader.ts';
import { formatNumber, serializeObject } from './serialize.ts';
import { listPages } from './structure.ts';
import { createAllocator, writeIncrement } from './writer.ts';

// A PDF number as ISO 32000 writes it: optional sign, digits with at most one point, no exponent.
const PDF_NUMBER = /^-?(\d+|\d+\.\d+|\.\d+)$/;
const reread = (text: string) => parseObject(new TextEncoder().encode(text), 0).value;

describe('writing numbers', () => {
  test('the reals LibreOffice and Word write (A4 as 595.303937007874 × 841.889763779528, up to 15–17 significant digits) are written back as they were', () => {
    for (const token of ['595.303937007874', '841.889763779528', '595.275590551181', '0.35277777777777775', '-12.5', '56.69291338582677', '123456789012345.6']) {
      expect(formatNumber(Number(token))).toBe(token);
    }
  });

  test('any number reads back as the same value, in PDF syntax (no exponent, no «-0»)', () => {
    const samples = [0, -0, 1, -1, 0.1 + 0.2, 1e-7, -1.5e-7, 5e-324, 1e21, -2.5e22, Number.MAX_SAFE_INTEGER, Number.MAX_VALUE, Number.MIN_VALUE];
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let i = 0; i < 5000; i++) samples.push((random() - 0.5) * 10 ** Math.floor(random() * 40 - 20));
    for (const value of samples) {
      const text = formatNumber(value);
      expect(text).toMatch(PDF_NUMBER);
      expect(reread(text)).toBe(value === 0 ? 0 : value);
    }
    expect([formatNumber(1e-7), formatNumber(-1.5e-7), formatNumber(1e21), formatNumber(-0)]).toEqual(['0.0000001', '-0.00000015', '1000000000000000000000', '0']);
  });

  test('a number token of a file, parsed and written again, keeps its value', () => {
    for (const token of ['-.5', '4.', '+3', '0.000000', '00595.30', '-0.0000001', '595.3039370078740']) {
      const value = reread(token);
      expect(reread(serializeObject(value))).toBe(Number(token) === 0 ? 0 : Number(token));
    }
  });
});

describe('an incremental update that re-writes an object of the file', () => {
  test('the page that gets /Annots keeps its /MediaBox and every other number exactly, and no other page is written', async () => {
    const source = await PDFDocument.create();
    for (let i = 0; i < 3; i++) source.addPage([595.303937007874, 841.889763779528]);
    source.getPage(0).setCropBox(0.000001, 12.345678901234, 580.123456789012, 830.5);
    const bytes = await source.save({ useObjectStreams: false });
    const doc = openPdf(bytes);
    const [first, second] = listPages(doc);
    if (!first || !second) throw new Error('no pages');
    const annotated = copyDict(first.dict);
    annotated.entries.set('Annots', pdfArray([pdfRef(doc.size)]));
    const allocate = createAllocator(doc);
    const { update } = writeIncrement(doc, [{ num: first.ref.num, body: annotated }], allocate);
    const text = Buffer.from(update).toString('latin1');
    // the boxes as the source file wrote them (pdf-lib: `/CropBox [ 0.000001 12.345678901234 … ]`)
    const written = (pdf: string, key: string) => /\[([^\]]*)\]/.exec(pdf.slice(pdf.indexOf(`/${key}`)))?.[1]?.trim().split(/\s+/);
    for (const key of ['MediaBox', 'CropBox']) expect(written(text, key)).toEqual(written(Buffer.from(bytes).toString('latin1'), key));
    expect(written(text, 'MediaBox')).toEqual(['0', '0', '595.303937007874', '841.889763779528']);
    expect(text).not.toMatch(new RegExp(`\\b${second.ref.num} 0 obj`));
    const after = openPdf(Buffer.concat([bytes, update]));
    const page = getObject(after, first.ref);
    for (const key of ['MediaBox', 'CropBox']) expect(isDict(page) && page.entries.get(key)).toEqual(first.dict.entries.get(key));
  });
});
