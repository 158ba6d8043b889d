import { PDFDocument, PDFName } from '@cantoo/pdf-lib';

/**
 * A scanned document as a copier makes it: `pages` A4 pages, each one grey image of `kbPerPage` KB that
 * does not compress (noise, as a scan's grain is to Flate), classic cross-reference table at the end.
 */
export async function scannedPdf(pages: number, kbPerPage = 150): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const side = Math.round(Math.sqrt(kbPerPage * 1024));
  let seed = 1;
  for (let n = 0; n < pages; n++) {
    const data = new Uint8Array(side * side);
    for (let i = 0; i < data.length; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      data[i] = seed >> 16;
    }
    const page = doc.addPage([595.28, 841.89]);
    const image = doc.context.register(doc.context.stream(data, { Type: 'XObject', Subtype: 'Image', Width: side, Height: side, ColorSpace: 'DeviceGray', BitsPerComponent: 8 }));
    page.node.setXObject(PDFName.of('Im0'), image);
    page.node.addContentStream(doc.context.register(doc.context.stream('q 500 0 0 700 48 70 cm /Im0 Do Q')));
  }
  return doc.save({ useObjectStreams: false });
}
