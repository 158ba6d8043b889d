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
import type { PdfDict, PdfObject, PdfRef } from '../pdf/objects.ts';
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

/** The objects that add `refs` to the AcroForm's /Fields (SigFlags 3), and `perms` to the catalog. */
function formObjects(doc: PdfDocument, refs: PdfObject[], perms?: PdfDict): WriteObject[] {
  const catalog = copyDict(getCatalog(doc));
  const formRef = catalog.entries.get('AcroForm');
  const form = resolve(doc, formRef ?? null);
  const next = isDict(form) ? copyDict(form) : pdfDict({});
  const fields = resolve(doc, next.entries.get('Fields') ?? null);
  next.entries.set('Fields', pdfArray([...(isArray(fields) ? fields.items : []), ...refs]));
  next.entries.set('SigFlags', 3);
  const out: WriteObject[] = [];
  if (isRef(formRef)) out.push({ num: formRef.num, gen: formRef.gen, body: next });
  else catalog.entries.set('AcroForm', next);
  if (perms) catalog.entries.set('Perms', perms);
  if (perms || !isRef(formRef)) out.push({ num: getCatalogRef(doc).num, body: catalog });
  return out;
}

/** Page 1 of `doc`. */
function firstPage(doc: PdfDocument) {
  const page = listPages(doc)[0];
  if (!page) throw new Error('no page');
  return page;
}

/** Page `page` rewritten with `refs` appended to its /Annots. */
function withAnnots(doc: PdfDocument, page: ReturnType<typeof firstPage>, refs: PdfObject[]): WriteObject {
  const pageDict = copyDict(page.dict);
  const annots = resolve(doc, pageDict.entries.get('Annots') ?? null);
  pageDict.entries.set('Annots', pdfArray([...(isArray(annots) ? annots.items : []), ...refs]));
  return { num: page.ref.num, gen: page.ref.gen, body: pageDict };
}

/** A new invisible signature field (merged with its widget) on page 1, already holding signature `sigNum`. */
function newFieldObjects(doc: PdfDocument, widgetNum: number, sigNum: number, o: MdpSignatureOptions, perms?: PdfDict): WriteObject[] {
  const page = firstPage(doc);
  const widget = pdfDict({
    Type: pdfName('Annot'), Subtype: pdfName('Widget'), FT: pdfName('Sig'), T: pdfText(o.fieldName), V: pdfRef(sigNum),
    F: 132, P: page.ref, Rect: pdfArray([0, 0, 0, 0]),
  });
  if (o.lock) widget.entries.set('Lock', lockDict('SigFieldLock', o.lock));
  if (isRef(page.dict.entries.get('Annots'))) throw new Error('indirect /Annots arrays are not handled by this helper');
  return [
    { num: widgetNum, body: widget },
    withAnnots(doc, page, [pdfRef(widgetNum)]),
    ...formObjects(doc, [pdfRef(widgetNum)], perms),
  ];
}

/** The prepared empty field `ref` with /V set to signature `sigNum` (its own /Lock kept, or set from `o.lock`). */
function existingFieldObjects(doc: PdfDocument, ref: PdfRef, field: PdfDict, sigNum: number, o: MdpSignatureOptions, perms?: PdfDict): WriteObject[] {
  const next = copyDict(field);
  next.entries.set('V', pdfRef(sigNum));
  if (o.lock) next.entries.set('Lock', lockDict('SigFieldLock', o.lock));
  const out: WriteObject[] = [{ num: ref.num, gen: ref.gen, body: next }];
  if (perms) {
    const catalog = copyDict(getCatalog(doc));
    catalog.entries.set('Perms', perms);
    out.push({ num: getCatalogRef(doc).num, body: catalog });
  }
  return out;
}

/** An empty signature field prepared for a signer: `name` may be qualified ("kyDuyet.DauCoQuan": a kid of a new parent field). */
export type EmptySignatureField = { name: string; lock?: FieldLockSpec };

/**
 * Adds empty, visible signature fields to page 1 in a new revision, as a preparer (Acrobat "Prepare
 * form") lays out the signers' boxes before anyone signs; a field's /Lock says what signing it locks.
 */
export function addSignatureFields(pdf: Uint8Array, fields: EmptySignatureField[]): Uint8Array {
  return append(pdf, (doc, allocate) => {
    const page = firstPage(doc);
    const out: WriteObject[] = [];
    const roots: PdfObject[] = [];
    const widgets: PdfObject[] = [];
    fields.forEach((f, i) => {
      const parts = f.name.split('.');
      const num = allocate();
      const parentNum = parts.length > 1 ? allocate() : undefined;
      const widget = pdfDict({
        Type: pdfName('Annot'), Subtype: pdfName('Widget'), FT: pdfName('Sig'), T: pdfText(parts.at(-1) ?? f.name), F: 4, P: page.ref,
        Rect: pdfArray([320, 400 - 70 * i, 520, 460 - 70 * i]), Parent: parentNum === undefined ? undefined : pdfRef(parentNum),
      });
      if (f.lock) widget.entries.set('Lock', lockDict('SigFieldLock', f.lock));
      out.push({ num, body: widget });
      if (parentNum !== undefined) out.push({ num: parentNum, body: pdfDict({ T: pdfText(parts.slice(0, -1).join('.')), Kids: pdfArray([pdfRef(num)]) }) });
      roots.push(pdfRef(parentNum ?? num));
      widgets.push(pdfRef(num));
    });
    return [...out, withAnnots(doc, page, widgets), ...formObjects(doc, roots)];
  });
}

/**
 * Signs `pdf` in a new revision: into the empty signature field named `fieldName` when the form has
 * one (as a second signer signs the field prepared for them), else into a new invisible field; with
 * the given DocMDP/FieldMDP entries.
 */
export async function signWithMdp(pdf: Uint8Array, o: MdpSignatureOptions): Promise<Uint8Array> {
  const doc = openPdf(pdf);
  const allocate = createAllocator(doc);
  const ctx = createCmsContext(o.signer.certificate, o.signer.chain, o.signer.keyAlgorithm, 'SHA-256');
  const contentsSize = o.signer.certificate.length + o.signer.chain.reduce((n, c) => n + c.length, 0) + 2048;
  const sigNum = allocate();
  const perms = o.docMdp ? pdfDict({ DocMDP: pdfRef(sigNum) }) : undefined;
  const empty = listFields(doc).find((f) => f.name === o.fieldName && f.fieldType === 'Sig' && !f.dict.entries.has('V'));
  const objects: WriteObject[] = [
    { num: sigNum, body: new TextEncoder().encode(signatureDictText(o, contentsSize)) },
    ...(empty?.ref ? existingFieldObjects(doc, empty.ref, empty.dict, sigNum, o, perms) : newFieldObjects(doc, allocate(), sigNum, o, perms)),
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
    const page = firstPage(doc);
    const num = allocate();
    return [
      { num, body: pdfDict({ Type: pdfName('Annot'), Subtype: pdfName('Text'), Rect: pdfArray([300, 600, 320, 620]), Contents: pdfText('Đã xem'), F: 4, P: page.ref }) },
      withAnnots(doc, page, [pdfRef(num)]),
    ];
  });
}
