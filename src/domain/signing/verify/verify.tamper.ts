/**
 * Test helpers that append hostile incremental updates to signed PDFs (content change, added page,
 * replaced signature appearance), written with the signing engine's incremental writer.
 */
import { isArray, isDict, isRef, pdfArray, pdfDict, pdfName, pdfRef } from '../pdf/objects.ts';
import type { PdfDict, PdfObject } from '../pdf/objects.ts';
import { dictGet, getCatalog, getObject, openPdf, resolve } from '../pdf/reader.ts';
import { listPages } from '../pdf/structure.ts';
import { createAllocator, writeIncrement, type WriteObject } from '../pdf/writer.ts';

/** Appends one incremental update holding the objects `build` returns. */
export function append(pdf: Uint8Array, build: (doc: ReturnType<typeof openPdf>, allocate: () => number) => WriteObject[]): Uint8Array {
  const doc = openPdf(pdf);
  const allocate = createAllocator(doc);
  const objects = build(doc, allocate);
  const { update } = writeIncrement(doc, objects, allocate);
  return new Uint8Array(Buffer.concat([Buffer.from(pdf), Buffer.from(update)]));
}

function stream(text: string): PdfObject {
  return { type: 'stream', dict: pdfDict({}), raw: new TextEncoder().encode(text), rawOffset: -1 };
}

/** Overrides page 1's content stream with other text, in a new revision. */
export function changePageContent(pdf: Uint8Array): Uint8Array {
  return append(pdf, (doc) => {
    const page = listPages(doc)[0];
    const contents = page?.dict.entries.get('Contents');
    const ref = isRef(contents) ? contents : isArray(contents) && isRef(contents.items[0]) ? contents.items[0] : undefined;
    if (!ref) throw new Error('page without content stream reference');
    return [{ num: ref.num, gen: ref.gen, body: stream('BT /F1 24 Tf 72 700 Td (SO TIEN: 999.999.999 dong) Tj ET') }];
  });
}

/** Adds a blank page at the end, in a new revision. */
export function addPage(pdf: Uint8Array): Uint8Array {
  return append(pdf, (doc, allocate) => {
    const pagesRef = getCatalog(doc).entries.get('Pages');
    if (!isRef(pagesRef)) throw new Error('no /Pages reference');
    const pages = getObject(doc, pagesRef) as PdfDict;
    const kids = dictGet(doc, pages, 'Kids');
    const num = allocate();
    const next: PdfDict = { type: 'dict', entries: new Map(pages.entries) };
    next.entries.set('Kids', pdfArray([...(isArray(kids) ? kids.items : []), pdfRef(num)]));
    next.entries.set('Count', (typeof pages.entries.get('Count') === 'number' ? (pages.entries.get('Count') as number) : 0) + 1);
    return [
      { num, body: pdfDict({ Type: pdfName('Page'), Parent: pagesRef, MediaBox: pdfArray([0, 0, 595, 842]) }) },
      { num: pagesRef.num, gen: pagesRef.gen, body: next },
    ];
  });
}

/** Replaces the normal appearance of the first signed signature widget with another drawing. */
export function replaceSignatureAppearance(pdf: Uint8Array): Uint8Array {
  return append(pdf, (doc, allocate) => {
    for (const page of listPages(doc)) {
      const annots = dictGet(doc, page.dict, 'Annots');
      for (const a of isArray(annots) ? annots.items : []) {
        const w = resolve(doc, a);
        if (!isDict(w) || !isRef(a) || !w.entries.has('V')) continue;
        const ap = resolve(doc, w.entries.get('AP'));
        const n = isDict(ap) ? ap.entries.get('N') : undefined;
        const fake = stream('0 1 0 rg 0 0 100 40 re f BT /Helv 12 Tf 5 15 Td (DA DUYET) Tj ET');
        if (isRef(n)) return [{ num: n.num, gen: n.gen, body: { ...(fake as object), dict: pdfDict({ Type: pdfName('XObject'), Subtype: pdfName('Form'), BBox: pdfArray([0, 0, 100, 40]) }) } as PdfObject }];
        const num = allocate();
        const next: PdfDict = { type: 'dict', entries: new Map(w.entries) };
        next.entries.set('AP', pdfDict({ N: pdfRef(num) }));
        return [{ num, body: fake }, { num: a.num, gen: a.gen, body: next }];
      }
    }
    throw new Error('no signed widget found');
  });
}

/** Flips one byte inside the first signed range (inside the page content area, past the header). */
export function flipSignedByte(pdf: Uint8Array): Uint8Array {
  const out = Uint8Array.from(pdf); // a copy even when given a Buffer (Buffer#slice is a view)
  const text = Buffer.from(out).toString('latin1');
  const at = text.indexOf('stream', text.indexOf(' obj')) + 10;
  out[at] = (out[at] ?? 0) ^ 0x01;
  return out;
}
