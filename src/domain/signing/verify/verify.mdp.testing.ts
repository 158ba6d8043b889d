/**
 * Test helpers for the DocMDP and FieldMDP rules: a form with text fields, a signer that writes what
 * our signing engine never does (a certification signature with /Reference DocMDP and the catalog's
 * /Perms, a signature field with a /Lock dictionary, a FieldMDP /Reference — as Adobe Acrobat writes
 * them — and a signature on a P=1 document), and later updates: filling a field the way a reader
 * does (/V on the field, a new /AP on its widget) and adding a sticky note.
 */
import { PDFDocument } from '@cantoo/pdf-lib';
import type { Signer } from '../keys.ts';
import { copyDict, isArray, isDict, isRef, pdfArray, pdfDict, pdfName, pdfRef, pdfText } from '../pdf/objects.ts';
import type { PdfDict, PdfObject } from '../pdf/objects.ts';
import { getCatalog, getCatalogRef, getObject, openPdf, resolve, type PdfDocument } from '../pdf/reader.ts';
import { serializeObject } from '../pdf/serialize.ts';
import { listFields, listPages } from '../pdf/structure.ts';
import { createAllocator, writeIncrement, type WriteObject } from '../pdf/writer.ts';
import { assembleCms, buildSignedAttributes, createCmsContext } from '../signing.cms.ts';
import { digestByteRange, fillByteRange, fillContents, joinPlaceholder } from '../signing.embed.ts';
import type { Placeholder } from '../signing.placeholder.ts';
import { append } from './verify.tamper.ts';

/** The form's fields: a plain one, one with a Vietnamese name, and one inside a parent field. */
export const FORM_FIELDS = ['hoTen', 'Ghi chú', 'nguoiNhan.diaChi'] as const;

/** A one-page pdf-lib form with the FORM_FIELDS text fields (each with its own widget). */
export async function makeForm(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595.28, 841.89]);
  const form = doc.getForm();
  FORM_FIELDS.forEach((name, i) => form.createTextField(name).addToPage(page, { x: 72, y: 700 - 40 * i, width: 200, height: 20 }));
  return doc.save({ useObjectStreams: false });
}

export type FieldLockSpec = { action: 'All' | 'Include' | 'Exclude'; fields?: string[] };

export type MdpSignatureOptions = {
  signer: Signer;
  fieldName: string;
  /** Certification signature: /Reference DocMDP with this /P, and the catalog's /Perms /DocMDP. */
  docMdp?: 1 | 2 | 3;
  /** The signature field's /Lock dictionary (what gets locked once the field is signed). */
  lock?: FieldLockSpec;
  /** A /Reference FieldMDP transform in the signature dictionary. */
  fieldMdp?: FieldLockSpec;
};

function lockDict(type: 'SigFieldLock' | 'TransformParams', spec: FieldLockSpec): PdfDict {
  return pdfDict({
    Type: pdfName(type), Action: pdfName(spec.action), Fields: spec.fields ? pdfArray(spec.fields.map(pdfText)) : undefined,
    V: type === 'TransformParams' ? pdfName('1.2') : undefined,
  });
}

function signatureDictText(o: MdpSignatureOptions, contentsSize: number): string {
  const refs: string[] = [];
  if (o.docMdp) refs.push(`<< /Type /SigRef /TransformMethod /DocMDP /TransformParams << /Type /TransformParams /P ${o.docMdp} /V /1.2 >> >>`);
  if (o.fieldMdp) refs.push(`<< /Type /SigRef /TransformMethod /FieldMDP /TransformParams ${serializeObject(lockDict('TransformParams', o.fieldMdp))} >>`);
  const reference = refs.length ? ` /Reference [${refs.join(' ')}]` : '';
  return `<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached${reference} /ByteRange [0 0000000000 0000000000 0000000000] /Contents <${'0'.repeat(contentsSize * 2)}> >>`;
}

/** The objects that add `ref` to the AcroForm's /Fields (SigFlags 3), and `perms` to the catalog. */
function formObjects(doc: PdfDocument, ref: PdfObject, perms?: PdfDict): WriteObject[] {
  const catalog = copyDict(getCatalog(doc));
  const formRef = catalog.entries.get('AcroForm');
  const form = resolve(doc, formRef ?? null);
  const next = isDict(form) ? copyDict(form) : pdfDict({});
  const fields = resolve(doc, next.entries.get('Fields') ?? null);
  next.entries.set('Fields', pdfArray([...(isArray(fields) ? fields.items : []), ref]));
  next.entries.set('SigFlags', 3);
  const out: WriteObject[] = [];
  if (isRef(formRef)) out.push({ num: formRef.num, gen: formRef.gen, body: next });
  else catalog.entries.set('AcroForm', next);
  if (perms) catalog.entries.set('Perms', perms);
  if (perms || !isRef(formRef)) out.push({ num: getCatalogRef(doc).num, body: catalog });
  return out;
}

/** Signs `pdf` in a new revision with a new invisible signature field carrying the given DocMDP/FieldMDP entries. */
export async function signWithMdp(pdf: Uint8Array, o: MdpSignatureOptions): Promise<Uint8Array> {
  const doc = openPdf(pdf);
  const allocate = createAllocator(doc);
  const ctx = createCmsContext(o.signer.certificate, o.signer.chain, o.signer.keyAlgorithm, 'SHA-256');
  const contentsSize = o.signer.certificate.length + o.signer.chain.reduce((n, c) => n + c.length, 0) + 2048;
  const page = listPages(doc)[0];
  if (!page) throw new Error('no page');
  const sigNum = allocate();
  const widgetNum = allocate();
  const widget = pdfDict({
    Type: pdfName('Annot'), Subtype: pdfName('Widget'), FT: pdfName('Sig'), T: pdfText(o.fieldName), V: pdfRef(sigNum),
    F: 132, P: page.ref, Rect: pdfArray([0, 0, 0, 0]),
  });
  if (o.lock) widget.entries.set('Lock', lockDict('SigFieldLock', o.lock));
  const pageDict = copyDict(page.dict);
  const annots = resolve(doc, pageDict.entries.get('Annots') ?? null);
  if (isRef(pageDict.entries.get('Annots'))) throw new Error('indirect /Annots arrays are not handled by this helper');
  pageDict.entries.set('Annots', pdfArray([...(isArray(annots) ? annots.items : []), pdfRef(widgetNum)]));
  const objects: WriteObject[] = [
    { num: sigNum, body: new TextEncoder().encode(signatureDictText(o, contentsSize)) },
    { num: widgetNum, body: widget },
    { num: page.ref.num, gen: page.ref.gen, body: pageDict },
    ...formObjects(doc, pdfRef(widgetNum), o.docMdp ? pdfDict({ DocMDP: pdfRef(sigNum) }) : undefined),
  ];
  const written = writeIncrement(doc, objects, allocate);
  const update = written.update;
  const text = Buffer.from(update.buffer, update.byteOffset, update.byteLength);
  const from = (written.offsets.get(sigNum) ?? 0) - pdf.length;
  const br = text.indexOf('/ByteRange [', from) + 11;
  const contents = text.indexOf('/Contents <', from) + 10;
  const placeholder: Placeholder = {
    base: pdf, update, fieldName: o.fieldName,
    byteRangeStart: pdf.length + br, byteRangeEnd: pdf.length + text.indexOf(']', br) + 1,
    contentsStart: pdf.length + contents, contentsEnd: pdf.length + text.indexOf('>', contents) + 1,
  };
  fillByteRange(placeholder);
  const signed = buildSignedAttributes(ctx, digestByteRange(placeholder, 'SHA-256'));
  fillContents(placeholder, assembleCms(ctx, { signed, signature: await o.signer.sign(signed.der, 'SHA-256') }));
  return joinPlaceholder(pdf, update);
}

/** Fills text field `name` (fully qualified) as a reader does: /V on the field, a new /AP on its widget. */
export function fillField(pdf: Uint8Array, name: string, value: string): Uint8Array {
  return append(pdf, (doc, allocate) => {
    const field = listFields(doc).find((f) => f.name === name);
    if (!field?.ref) throw new Error(`no field ${name}`);
    const out: WriteObject[] = [];
    const next = copyDict(field.dict);
    next.entries.set('V', pdfText(value));
    out.push({ num: field.ref.num, gen: field.ref.gen, body: next });
    const kids = resolve(doc, field.dict.entries.get('Kids') ?? null);
    for (const kid of isArray(kids) ? kids.items : []) {
      const widget = isRef(kid) ? getObject(doc, kid) : undefined;
      if (!isRef(kid) || !isDict(widget)) continue;
      const ap = allocate();
      const body = new TextEncoder().encode(`BT /Helv 10 Tf 2 6 Td (${value.replace(/[^\x20-\x7e]/g, '?')}) Tj ET`);
      out.push({ num: ap, body: { type: 'stream', dict: pdfDict({ Type: pdfName('XObject'), Subtype: pdfName('Form'), BBox: pdfArray([0, 0, 200, 20]) }), raw: body, rawOffset: -1 } });
      const w = copyDict(widget);
      w.entries.set('AP', pdfDict({ N: pdfRef(ap) }));
      out.push({ num: kid.num, gen: kid.gen, body: w });
    }
    return out;
  });
}

/** Adds a sticky note (/Text annotation) to page 1. */
export function addNote(pdf: Uint8Array): Uint8Array {
  return append(pdf, (doc, allocate) => {
    const page = listPages(doc)[0];
    if (!page) throw new Error('no page');
    const num = allocate();
    const pageDict = copyDict(page.dict);
    const annots = resolve(doc, pageDict.entries.get('Annots') ?? null);
    pageDict.entries.set('Annots', pdfArray([...(isArray(annots) ? annots.items : []), pdfRef(num)]));
    return [
      { num, body: pdfDict({ Type: pdfName('Annot'), Subtype: pdfName('Text'), Rect: pdfArray([300, 600, 320, 620]), Contents: pdfText('Đã xem'), F: 4, P: page.ref }) },
      { num: page.ref.num, gen: page.ref.gen, body: pageDict },
    ];
  });
}
