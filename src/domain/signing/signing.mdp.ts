/**
 * DocMDP guard: a certification signature with /P 1 forbids any later change, so a further
 * signature would invalidate it. Such files are refused before anything is written.
 */
import { isArray, isDict, nameOf, numberOf } from './pdf/objects.ts';
import { dictGet, dictGetDict, getCatalog } from './pdf/reader.ts';
import type { PdfDocument } from './pdf/reader.ts';
import { pdfCertifiedLocked } from './signing.errors.ts';

/** The DocMDP permission level of the document's certification signature (1–3), or undefined. */
export function docMdpLevel(doc: PdfDocument): number | undefined {
  const perms = dictGetDict(doc, getCatalog(doc), 'Perms');
  const sig = perms ? dictGetDict(doc, perms, 'DocMDP') : undefined;
  const refs = sig ? dictGet(doc, sig, 'Reference') : undefined;
  if (!isArray(refs)) return undefined;
  for (const item of refs.items) {
    const ref = isDict(item) ? item : undefined;
    if (!ref || nameOf(ref.entries.get('TransformMethod')) !== 'DocMDP') continue;
    const params = dictGetDict(doc, ref, 'TransformParams');
    return (params ? numberOf(dictGet(doc, params, 'P')) : undefined) ?? 2;
  }
  return undefined;
}

/** Throws `signing.pdf_certified_locked` when the document is certified with no changes allowed. */
export function assertChangesAllowed(doc: PdfDocument): void {
  if (docMdpLevel(doc) === 1) throw pdfCertifiedLocked();
}
