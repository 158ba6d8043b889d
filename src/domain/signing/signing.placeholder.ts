/**
 * Builds the incremental update that carries a signature: the signature dictionary with a
 * fixed-size /Contents placeholder, the signature field/widget (with its /AP when visible), the
 * page's /Annots and the AcroForm, plus any extra annotations (number and date at issue time) —
 * all in one update. The caller then fills /ByteRange and /Contents in place (`signing.embed.ts`).
 */
import { copyDict, isArray, isDict, isRef, pdfArray, pdfBytes, pdfDict, pdfName, pdfRef, pdfText } from './pdf/objects.ts';
import type { PdfArray, PdfDict, PdfObject, PdfRef, PdfString } from './pdf/objects.ts';
import { encryptString } from './pdf/crypt.ts';
import { getCatalog, getCatalogRef, getObject, resolve } from './pdf/reader.ts';
import type { PdfDocument } from './pdf/reader.ts';
import { getPage, inheritedAttribute, listFields } from './pdf/structure.ts';
import { writeIncrement } from './pdf/writer.ts';
import type { WriteObject } from './pdf/writer.ts';
import { serializeObject } from './pdf/serialize.ts';
import { pageNotFound } from './signing.errors.ts';

/**
 * What an appearance builder returns (see `appearance/`): new objects and the Form XObject number;
 * a `rect` (as the presets return) overrides the placement's rect.
 */
export type BuiltAppearance = { objects: { num: number; body: Uint8Array }[]; xobject: number; rect?: { x: number; y: number; width: number; height: number } };

/** Where and how a signature widget is shown; no placement means an invisible signature. */
export type WidgetPlacement = {
  /** 0-based page index. */
  page: number;
  /** [x, y, width, height] in PDF user space. */
  rect: [number, number, number, number];
  appearance?: (allocate: () => number) => BuiltAppearance;
};

/** An extra annotation written in the same update (e.g. the document number and date). */
export type ExtraAnnotation = WidgetPlacement & { text: string; appearance: (allocate: () => number) => BuiltAppearance };


/** The signature dictionary's fields. `kind: 'timestamp'` makes a /DocTimeStamp (PAdES B-LTA). */
export type SignatureDictOptions = {
  kind: 'signature' | 'timestamp';
  subFilter: string;
  contentsSize: number;
  signingTime?: Date;
  reason?: string;
  location?: string;
  contactInfo?: string;
  name?: string;
};

/** Everything the placeholder update carries: the signature dictionary, field name, widget and extra annotations. */
export type PlaceholderOptions = SignatureDictOptions & {
  fieldName?: string;
  widget?: WidgetPlacement;
  annotations?: ExtraAnnotation[];
};

/** The written update and where its placeholders sit (absolute offsets in base + update). */
export type Placeholder = {
  base: Uint8Array;
  update: Uint8Array;
  /** Offset of `[` of /ByteRange and of the closing `]`'s end. */
  byteRangeStart: number;
  byteRangeEnd: number;
  /** Offset of `<` and just past `>` of /Contents. */
  contentsStart: number;
  contentsEnd: number;
  fieldName: string;
};

const BYTE_RANGE_PLACEHOLDER = '[0 0000000000 0000000000 0000000000]';

/** Builds and writes the update. Throws `signing.page_not_found`. */
export function writeSignaturePlaceholder(doc: PdfDocument, options: PlaceholderOptions, allocate: () => number): Placeholder {
  const fieldName = options.fieldName ?? uniqueFieldName(doc, options.kind === 'timestamp' ? 'Timestamp' : 'Signature');
  const objects: WriteObject[] = [];
  const sigNum = allocate();
  // The signature dictionary is written sealed: its strings encrypted here, /Contents left plain (ISO 32000-2 §7.6.2).
  const security = doc.security;
  const seal = security ? (s: PdfString) => pdfBytes(encryptString(security, sigNum, 0, s.bytes)) : (s: PdfString) => s;
  objects.push({ num: sigNum, body: new TextEncoder().encode(signatureDictText(options, seal)), sealed: true });
  const widgetPage = options.widget?.page ?? 0;
  const page = getPage(doc, widgetPage);
  if (!page) throw pageNotFound({ page: widgetPage + 1 });
  const widgetNum = allocate();
  const widget = pdfDict({
    Type: pdfName('Annot'), Subtype: pdfName('Widget'), FT: pdfName('Sig'), T: pdfText(fieldName), V: pdfRef(sigNum),
    F: 132, P: page.ref, Rect: pdfArray(rectOf(options.widget?.rect ?? [0, 0, 0, 0])),
  });
  if (options.widget?.appearance) {
    const built = options.widget.appearance(allocate);
    for (const o of built.objects) objects.push({ num: o.num, body: o.body });
    if (built.rect) widget.entries.set('Rect', pdfArray(rectOf([built.rect.x, built.rect.y, built.rect.width, built.rect.height])));
    widget.entries.set('AP', pdfDict({ N: pdfRef(built.xobject) }));
  }
  objects.push({ num: widgetNum, body: widget });
  const annotsByPage = new Map<number, PdfRef[]>([[widgetPage, [pdfRef(widgetNum)]]]);
  for (const extra of options.annotations ?? []) {
    const num = allocate();
    const target = getPage(doc, extra.page);
    if (!target) throw pageNotFound({ page: extra.page + 1 });
    const built = extra.appearance(allocate);
    for (const o of built.objects) objects.push({ num: o.num, body: o.body });
    const rect: [number, number, number, number] = built.rect ? [built.rect.x, built.rect.y, built.rect.width, built.rect.height] : extra.rect;
    objects.push({ num, body: stampAnnotation({ ...extra, rect }, target.ref, built.xobject) });
    annotsByPage.set(extra.page, [...(annotsByPage.get(extra.page) ?? []), pdfRef(num)]);
  }
  for (const [index, refs] of annotsByPage) addToAnnots(doc, index, refs, objects);
  addToAcroForm(doc, pdfRef(widgetNum), objects);
  const written = writeIncrement(doc, objects, allocate);
  return locatePlaceholders(doc.bytes, written.update, written.offsets.get(sigNum) ?? 0, fieldName);
}

function rectOf([x, y, w, h]: [number, number, number, number]): number[] {
  return [x, y, x + w, y + h];
}

function stampAnnotation(extra: ExtraAnnotation, pageRef: PdfRef, xobject: number): PdfDict {
  // Print (4) + ReadOnly (64) + Locked (128) + LockedContents (512): shown and printed, not editable.
  return pdfDict({
    Type: pdfName('Annot'), Subtype: pdfName('Stamp'), Rect: pdfArray(rectOf(extra.rect)), F: 4 + 64 + 128 + 512, P: pageRef,
    Contents: pdfText(extra.text), NM: pdfText(`vanthu-${Date.now().toString(36)}-${xobject}`), AP: pdfDict({ N: pdfRef(xobject) }),
  });
}

function uniqueFieldName(doc: PdfDocument, prefix: string): string {
  const names = new Set(listFields(doc).map((f) => f.name));
  for (let i = 1; ; i++) if (!names.has(`${prefix}${i}`)) return `${prefix}${i}`;
}

function signatureDictText(o: SignatureDictOptions, seal: (s: PdfString) => PdfString): string {
  const parts = o.kind === 'timestamp'
    ? ['/Type /DocTimeStamp', '/Filter /Adobe.PPKLite', `/SubFilter /${o.subFilter}`]
    : ['/Type /Sig', '/Filter /Adobe.PPKLite', `/SubFilter /${o.subFilter}`];
  if (o.signingTime) parts.push(`/M ${serializeObject(seal(pdfText(pdfDate(o.signingTime))))}`);
  for (const [key, value] of [['Name', o.name], ['Reason', o.reason], ['Location', o.location], ['ContactInfo', o.contactInfo]] as const) {
    if (value) parts.push(`/${key} ${serializeObject(seal(pdfText(value)))}`);
  }
  parts.push(`/ByteRange ${BYTE_RANGE_PLACEHOLDER}`);
  parts.push(`/Contents <${'0'.repeat(o.contentsSize * 2)}>`);
  return `<<${parts.join(' ')}>>`;
}

/** Formats a date as a PDF date string in UTC: `D:YYYYMMDDHHmmSSZ`. */
export function pdfDate(date: Date): string {
  const iso = date.toISOString();
  return `D:${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
}

function addToAnnots(doc: PdfDocument, pageIndex: number, refs: PdfRef[], objects: WriteObject[]) {
  const page = getPage(doc, pageIndex);
  if (!page) throw pageNotFound({ page: pageIndex + 1 });
  const current = page.dict.entries.get('Annots');
  if (isRef(current)) {
    const array = resolve(doc, current);
    const items = isArray(array) ? array.items : [];
    objects.push({ num: current.num, gen: current.gen, body: pdfArray([...items, ...refs]) });
    return;
  }
  const dict = copyDict(page.dict);
  dict.entries.set('Annots', pdfArray([...(isArray(current) ? current.items : []), ...refs]));
  objects.push({ num: page.ref.num, gen: page.ref.gen, body: dict });
}

function addToAcroForm(doc: PdfDocument, widget: PdfRef, objects: WriteObject[]) {
  const catalog = getCatalog(doc);
  const current = catalog.entries.get('AcroForm');
  const form = resolve(doc, current);
  const formDict = isDict(form) ? copyDict(form) : pdfDict({});
  const fields = formDict.entries.get('Fields');
  if (isRef(fields)) {
    const array = getObject(doc, fields);
    objects.push({ num: fields.num, gen: fields.gen, body: appendItem(isArray(array) ? array : pdfArray([]), widget) });
  } else {
    formDict.entries.set('Fields', appendItem(isArray(fields) ? fields : pdfArray([]), widget));
  }
  formDict.entries.set('SigFlags', 3);
  if (isRef(current)) {
    objects.push({ num: current.num, gen: current.gen, body: formDict });
    return;
  }
  const catalogRef = getCatalogRef(doc);
  const next = copyDict(catalog);
  next.entries.set('AcroForm', formDict);
  objects.push({ num: catalogRef.num, gen: catalogRef.gen, body: next });
}

function appendItem(array: PdfArray, item: PdfObject): PdfArray {
  return pdfArray([...array.items, item]);
}

function locatePlaceholders(base: Uint8Array, update: Uint8Array, sigOffset: number, fieldName: string): Placeholder {
  const buf = Buffer.from(update.buffer, update.byteOffset, update.byteLength);
  const from = sigOffset - base.length;
  const br = buf.indexOf(`/ByteRange ${BYTE_RANGE_PLACEHOLDER}`, from) + 11;
  const contents = buf.indexOf('/Contents <', from) + 10;
  const contentsEnd = buf.indexOf('>', contents) + 1;
  return {
    base, update, fieldName,
    byteRangeStart: base.length + br, byteRangeEnd: base.length + br + BYTE_RANGE_PLACEHOLDER.length,
    contentsStart: base.length + contents, contentsEnd: base.length + contentsEnd,
  };
}

/** The page's size in points from its (inherited) /MediaBox; A4 when absent. Throws `signing.page_not_found`. */
export function pageSize(doc: PdfDocument, pageIndex: number): { width: number; height: number } {
  const page = getPage(doc, pageIndex);
  if (!page) throw pageNotFound({ page: pageIndex + 1 });
  const box = inheritedAttribute(doc, page.dict, 'MediaBox');
  const [x0 = 0, y0 = 0, x1 = 595.28, y1 = 841.89] = isArray(box) ? box.items.map((x) => (typeof resolve(doc, x) === 'number' ? (resolve(doc, x) as number) : 0)) : [];
  return { width: Math.abs(x1 - x0), height: Math.abs(y1 - y0) };
}
