import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { needTool } from '../../../test/tools.ts';
import * as corpus from '../testing/corpus.ts';
import { isDict, nameOf, pdfArray, pdfBytes, pdfDict, pdfName, pdfRef, pdfText, textOf } from './objects.ts';
import { parseObject } from './parser.ts';
import { getCatalog, getObject, listObjectNumbers, openPdf } from './reader.ts';
import { serializeObject } from './serialize.ts';
import { getPage, listFields, listPages, listRevisions } from './structure.ts';

describe('PDF object parser and serializer', () => {
  test('a dictionary with every kind of value survives serialize → parse', () => {
    const dict = pdfDict({
      Type: pdfName('Sig'), Odd: pdfName('A B#/(x)'), N: -12.5, I: 42, B: true, Z: null,
      S: pdfText('Hà Nội (thử)\\'), H: pdfBytes(new Uint8Array([0, 255, 16])), R: pdfRef(12, 0), A: pdfArray([1, pdfName('X'), pdfArray([])]),
    });
    const parsed = parseObject(new TextEncoder().encode(serializeObject(dict)), 0).value;
    expect(serializeObject(parsed)).toBe(serializeObject(dict));
    expect(isDict(parsed) && textOf(parsed.entries.get('S'))).toBe('Hà Nội (thử)\\');
  });

  test('literal strings with escapes, nesting and octal codes decode per the spec', () => {
    const parsed = parseObject(new TextEncoder().encode('(a\\(b\\)c (nested) \\101\\n\\\r\nend)'), 0).value;
    expect(textOf(parsed)).toBe('a(b)c (nested) A\nend');
  });
});

describe.skipIf(!needTool('qpdf', 'gs'))('lazy reader on real files', () => {
  const kinds = {
    pdfLibClassic: 'table', pdfLibObjStm: 'stream', qpdfObjStm: 'stream', qpdfLinearized: 'table',
    qpdfLinearizedObjStm: 'stream', pdf20: 'stream', ghostscript14: 'table', hybrid: 'table', formAndAnnots: 'table',
  } as const;
  for (const [name, kind] of Object.entries(kinds)) {
    test(`${name}: reads xref (${kind}), catalog, every page and every object`, async () => {
      const bytes = readFileSync(await corpus[name as keyof typeof kinds]());
      const doc = openPdf(bytes);
      expect(doc.recovered).toBe(false);
      expect(doc.sections[0]?.kind).toBe(kind);
      expect(nameOf(getCatalog(doc).entries.get('Type'))).toBe('Catalog');
      const pages = listPages(doc);
      expect(pages.length).toBe(name === 'formAndAnnots' ? 1 : 2);
      expect(getPage(doc, pages.length - 1)?.ref).toEqual(pages.at(-1)?.ref);
      for (const num of listObjectNumbers(doc)) expect(getObject(doc, num)).not.toBeNull();
    });
  }

  test('a linearized file counts as one revision; a hybrid update as a second one', async () => {
    expect(listRevisions(openPdf(readFileSync(await corpus.qpdfLinearized())))).toHaveLength(1);
    const hybrid = openPdf(readFileSync(await corpus.hybrid()));
    expect(hybrid.sections[0]?.xrefStm?.kind).toBe('stream');
    expect(listRevisions(hybrid)).toHaveLength(2);
  });

  test('form fields are listed with their full names and types', async () => {
    const doc = openPdf(readFileSync(await corpus.formAndAnnots()));
    expect(listFields(doc).map((f) => `${f.name}:${f.fieldType}`)).toEqual(['hoTen:Tx', 'dongY:Btn']);
  });

  test('wrong xref offsets are recovered by scanning for objects', async () => {
    const bytes = Buffer.from(readFileSync(await corpus.pdfLibClassic()));
    const shifted = Buffer.concat([Buffer.from('%PDF-1.7\n%garbage garbage garbage\n'), bytes.subarray(9)]);
    const doc = openPdf(shifted);
    expect(listPages(doc)).toHaveLength(2);
    const noXref = Buffer.from(bytes.toString('latin1').replace(/startxref\s+\d+/, 'startxref\n999999'), 'latin1');
    const recovered = openPdf(noXref);
    expect(recovered.recovered).toBe(true);
    expect(listPages(recovered)).toHaveLength(2);
  });

  test('garbage is refused with signing.pdf_invalid', () => {
    expect(() => openPdf(new TextEncoder().encode('hello'))).toThrow(expect.objectContaining({ code: 'signing.pdf_invalid' }));
    expect(() => openPdf(new TextEncoder().encode('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n'))).toThrow(expect.objectContaining({ code: 'signing.pdf_invalid' }));
  });
});
