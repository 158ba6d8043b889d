import { isArray, isDict, isRef, isStream, nameOf, textOf } from '../pdf/objects.ts';
import type { PdfDict, PdfObject } from '../pdf/objects.ts';
import { dictGet, getCatalogRef, getObject, openPdf, resolve, type PdfDocument } from '../pdf/reader.ts';
import { listPages, type Revision } from '../pdf/structure.ts';
import type { TRevisionChange } from './verify.types.ts';

type Kind = TRevisionChange['kind'];
/** Largest number of revisions we analyse object by object (beyond: reported as not analysable). */
export const MAX_ANALYSED_REVISIONS = 200;

/** Structural equality of two PDF objects (references compared by number, streams by bytes). */
export function sameObject(a: PdfObject, b: PdfObject, depth = 0): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object' || depth > 64) return false;
  if (a.type !== b.type) return false;
  switch (a.type) {
    case 'name': return b.type === 'name' && a.value === b.value;
    case 'ref': return b.type === 'ref' && a.num === b.num && a.gen === b.gen;
    case 'string': return b.type === 'string' && Buffer.compare(a.bytes, b.bytes) === 0;
    case 'array': return b.type === 'array' && a.items.length === b.items.length && a.items.every((x, i) => sameObject(x, b.items[i] ?? null, depth + 1));
    case 'dict': return b.type === 'dict' && sameDict(a, b, depth);
    case 'stream': return b.type === 'stream' && Buffer.compare(a.raw, b.raw) === 0 && sameDict(a.dict, b.dict, depth, ['Length']);
  }
}

function sameDict(a: PdfDict, b: PdfDict, depth: number, ignore: string[] = []): boolean {
  const keys = new Set([...a.entries.keys(), ...b.entries.keys()].filter((k) => !ignore.includes(k)));
  for (const k of keys) if (!sameObject(a.entries.get(k) ?? null, b.entries.get(k) ?? null, depth + 1)) return false;
  return true;
}

function changedKeys(a: PdfDict, b: PdfDict): string[] {
  const keys = new Set([...a.entries.keys(), ...b.entries.keys()]);
  return [...keys].filter((k) => !sameObject(a.entries.get(k) ?? null, b.entries.get(k) ?? null));
}

function refNums(doc: PdfDocument, value: PdfObject | undefined): number[] {
  const v = isRef(value) ? value : undefined;
  if (v) {
    const target = getObject(doc, v);
    return isArray(target) ? [v.num, ...target.items.flatMap((i) => (isRef(i) ? [i.num] : []))] : [v.num];
  }
  return isArray(value) ? value.items.flatMap((i) => (isRef(i) ? [i.num] : [])) : [];
}

/** Facts about the "before" version used to classify overridden objects. */
type Context = {
  before: PdfDocument;
  after: PdfDocument;
  catalogNum: number;
  pages: Set<number>;
  contentStreams: Set<number>;
  signedWidgetAps: Set<number>;
  signedFields: Set<number>;
  annotArrays: Set<number>;
  acroForm?: number;
  dssObjects: Set<number>;
};

function apStreams(doc: PdfDocument, dict: PdfDict): number[] {
  const ap = resolve(doc, dict.entries.get('AP'));
  if (!isDict(ap)) return [];
  const out: number[] = [];
  for (const v of ap.entries.values()) {
    if (isRef(v)) out.push(v.num);
    const inner = resolve(doc, v);
    if (isDict(inner)) for (const s of inner.entries.values()) if (isRef(s)) out.push(s.num);
  }
  return out;
}

function buildContext(before: PdfDocument, after: PdfDocument): Context {
  const catalogRef = getCatalogRef(before);
  const catalog = resolve(before, catalogRef);
  const ctx: Context = {
    before, after, catalogNum: catalogRef.num, pages: new Set(), contentStreams: new Set(), signedWidgetAps: new Set(),
    signedFields: new Set(), annotArrays: new Set(), dssObjects: new Set(),
  };
  for (const page of listPages(before)) {
    ctx.pages.add(page.ref.num);
    for (const n of refNums(before, page.dict.entries.get('Contents'))) ctx.contentStreams.add(n);
    const annots = page.dict.entries.get('Annots');
    if (isRef(annots)) ctx.annotArrays.add(annots.num);
    const list = resolve(before, annots);
    for (const a of isArray(list) ? list.items : []) {
      const w = resolve(before, a);
      if (!isDict(w) || !isRef(a)) continue;
      const field = isDict(resolve(before, w.entries.get('Parent'))) && !w.entries.has('FT') ? resolve(before, w.entries.get('Parent')) : w;
      if (isDict(field) && nameOf(dictGet(before, field, 'FT')) === 'Sig' && field.entries.has('V')) {
        ctx.signedFields.add(a.num);
        const parent = w.entries.get('Parent');
        if (isRef(parent)) ctx.signedFields.add(parent.num);
        for (const n of apStreams(before, w)) ctx.signedWidgetAps.add(n);
      }
    }
  }
  if (isDict(catalog)) {
    const af = catalog.entries.get('AcroForm');
    if (isRef(af)) ctx.acroForm = af.num;
    const dss = catalog.entries.get('DSS');
    if (isRef(dss)) ctx.dssObjects.add(dss.num);
    const dssDict = resolve(before, dss);
    if (isDict(dssDict)) for (const v of dssDict.entries.values()) if (isRef(v)) ctx.dssObjects.add(v.num);
  }
  return ctx;
}

type Finding = { kind: Kind; text: string; field?: string };

/**
 * The form field a dictionary belongs to — itself when it has /T, else the field above it (a widget's
 * /Parent) — with its fully qualified name (the partial names joined by dots, as FieldMDP /Fields
 * lists them) and its /FT, which may be inherited. Undefined for an annotation outside any field.
 */
function fieldOf(doc: PdfDocument, dict: PdfDict): { name: string; ft?: string } | undefined {
  const names: string[] = [];
  let ft: string | undefined;
  let cur: PdfDict | undefined = dict;
  for (let depth = 0; cur && depth < 32; depth++) {
    const t = textOf(resolve(doc, cur.entries.get('T') ?? null));
    if (t !== undefined) names.unshift(t);
    ft ??= nameOf(resolve(doc, cur.entries.get('FT') ?? null));
    const parent = resolve(doc, cur.entries.get('Parent') ?? null);
    cur = isDict(parent) ? parent : undefined;
  }
  return names.length ? { name: names.join('.'), ft } : undefined;
}

const CATALOG_OK: Record<string, Kind> = { AcroForm: 'signature', DSS: 'dss', Extensions: 'dss', Metadata: 'metadata', Version: 'dss' };

function classifyDict(ctx: Context, num: number, oldV: PdfDict, newV: PdfDict): Finding[] {
  const keys = changedKeys(oldV, newV);
  if (num === ctx.catalogNum) {
    return keys.map((k) => CATALOG_OK[k] ? { kind: CATALOG_OK[k], text: `Danh mục tài liệu: cập nhật /${k}` } : { kind: 'forbidden', text: `Danh mục tài liệu: thay đổi /${k}` });
  }
  if (num === ctx.acroForm) {
    const bad = keys.filter((k) => !['Fields', 'SigFlags', 'DR', 'DA', 'NeedAppearances'].includes(k));
    const oldFields = refNums(ctx.before, oldV.entries.get('Fields'));
    const newFields = new Set(isArray(newV.entries.get('Fields')) ? refNums(ctx.before, newV.entries.get('Fields')) : []);
    const removed = oldFields.filter((n) => !newFields.has(n) && isArray(oldV.entries.get('Fields')));
    if (bad.length || removed.length) return [{ kind: 'forbidden', text: 'Biểu mẫu: trường bị xóa hoặc thuộc tính bị thay đổi' }];
    return [{ kind: 'signature', text: 'Biểu mẫu: thêm trường' }];
  }
  if (ctx.pages.has(num)) {
    const bad = keys.filter((k) => k !== 'Annots');
    if (bad.length) return [{ kind: 'forbidden', text: `Trang: thay đổi ${bad.map((k) => '/' + k).join(', ')} (nội dung trang)` }];
    return [annotsChange(ctx, oldV.entries.get('Annots'), newV.entries.get('Annots'))];
  }
  if (ctx.signedFields.has(num)) return [{ kind: 'forbidden', text: 'Trường chữ ký đã ký hoặc hình thức chữ ký trước đó bị thay đổi' }];
  const type = nameOf(oldV.entries.get('Type'));
  if (type === 'Pages') return [{ kind: 'forbidden', text: 'Cây trang bị thay đổi (thêm/xóa trang)' }];
  if (type === 'Sig' || type === 'DocTimeStamp') return [{ kind: 'forbidden', text: 'Từ điển chữ ký trước đó bị ghi đè' }];
  if (ctx.dssObjects.has(num)) return [{ kind: 'dss', text: 'Cập nhật DSS' }];
  const field = fieldOf(ctx.before, oldV);
  const ft = nameOf(oldV.entries.get('FT')) ?? nameOf(newV.entries.get('FT')) ?? field?.ft;
  // Signing a signature field that was already there, empty: a 'signature' change (DocMDP P=2/3), which
  // an earlier signature's /Lock or FieldMDP forbids when it names this field (ISO 32000-2 12.8.2.4).
  if (ft === 'Sig' && !oldV.entries.has('V') && newV.entries.has('V')) return [{ kind: 'signature', text: `Ký vào trường chữ ký trống${field ? ': ' + field.name : ''}`, field: field?.name }];
  // A field's value, or the appearance state of the field or of one of its widgets: form filling.
  if (ft && field && keys.every((k) => ['V', 'AP', 'AS'].includes(k))) return [{ kind: 'form-fill', text: `Điền biểu mẫu: trường ${field.name}`, field: field.name }];
  if (nameOf(oldV.entries.get('Subtype')) !== undefined && oldV.entries.has('Rect')) return [{ kind: 'annotations', text: 'Sửa chú thích (annotation)' }];
  return [{ kind: 'forbidden', text: `Đối tượng ${num} của phiên bản đã ký bị ghi đè` }];
}

function classifyObject(ctx: Context, num: number, oldV: PdfObject, newV: PdfObject): Finding[] {
  if (sameObject(oldV, newV)) return [];
  if (newV === null) return [{ kind: 'forbidden', text: `Đối tượng ${num} của phiên bản đã ký bị xóa` }];
  if (ctx.contentStreams.has(num)) return [{ kind: 'forbidden', text: 'Nội dung trang bị thay đổi' }];
  if (ctx.signedWidgetAps.has(num)) return [{ kind: 'forbidden', text: 'Hình thức hiển thị của chữ ký trước đó bị thay thế' }];
  if (ctx.annotArrays.has(num) && isArray(oldV) && isArray(newV)) return [annotsChange(ctx, oldV, newV)];
  if (ctx.dssObjects.has(num)) return [{ kind: 'dss', text: 'Cập nhật DSS' }];
  if (isStream(oldV) && nameOf(oldV.dict.entries.get('Type')) === 'Metadata') return [{ kind: 'metadata', text: 'Cập nhật siêu dữ liệu XMP' }];
  if (isDict(oldV) && isDict(newV)) return classifyDict(ctx, num, oldV, newV);
  return [{ kind: 'forbidden', text: `Đối tượng ${num} của phiên bản đã ký bị ghi đè` }];
}

function annotRefs(doc: PdfDocument, value: PdfObject | undefined): number[] {
  const list = resolve(doc, value ?? null);
  return isArray(list) ? list.items.flatMap((i) => (isRef(i) ? [i.num] : [])) : [];
}

/** A page's /Annots change: removals are forbidden when they hit a signature, additions of signature widgets count as signing. */
function annotsChange(ctx: Context, oldV: PdfObject | undefined, newV: PdfObject | undefined): Finding {
  const oldNums = annotRefs(ctx.before, oldV);
  const newNums = annotRefs(ctx.after, newV);
  const kept = new Set(newNums);
  const removed = oldNums.filter((n) => !kept.has(n));
  if (removed.some((n) => ctx.signedFields.has(n))) return { kind: 'forbidden', text: 'Chữ ký trước đó bị gỡ khỏi trang' };
  const had = new Set(oldNums);
  const added = newNums.filter((n) => !had.has(n)).map((n) => resolve(ctx.after, { type: 'ref', num: n, gen: 0 }));
  const isSigWidget = (a: PdfObject) => isDict(a) && nameOf(a.entries.get('Subtype')) === 'Widget'
    && (nameOf(a.entries.get('FT')) === 'Sig' || (isDict(resolve(ctx.after, a.entries.get('Parent'))) && nameOf(dictGet(ctx.after, resolve(ctx.after, a.entries.get('Parent')) as PdfDict, 'FT')) === 'Sig'));
  if (removed.length === 0 && added.length > 0 && added.every(isSigWidget)) return { kind: 'signature', text: 'Trang: thêm ô chữ ký' };
  const names = [...new Set(added.map((a) => (isDict(a) ? nameOf(a.entries.get('Subtype')) ?? '?' : '?')))].join(', ');
  return { kind: 'annotations', text: removed.length ? 'Trang: xóa hoặc thay chú thích' : `Trang: thêm chú thích (${names})` };
}

const RANK: Kind[] = ['dss', 'metadata', 'document-timestamp', 'signature', 'form-fill', 'annotations', 'forbidden'];
const ALLOWED: Record<number, Kind[]> = {
  1: ['dss', 'metadata', 'document-timestamp'],
  2: ['dss', 'metadata', 'document-timestamp', 'signature', 'form-fill'],
  3: ['dss', 'metadata', 'document-timestamp', 'signature', 'form-fill', 'annotations'],
};

function pageFindings(before: PdfDocument, after: PdfDocument): Finding[] {
  const a = listPages(before).map((p) => p.ref.num);
  const b = listPages(after).map((p) => p.ref.num);
  if (a.length !== b.length) return [{ kind: 'forbidden', text: b.length > a.length ? `Thêm ${b.length - a.length} trang sau khi ký` : `Xóa ${a.length - b.length} trang sau khi ký` }];
  return a.some((n, i) => n !== b[i]) ? [{ kind: 'forbidden', text: 'Thứ tự hoặc đối tượng trang bị thay đổi' }] : [];
}

/** `isLocked(name)` says whether a field is locked by an earlier signature's FieldMDP / /Lock. */
export type ChangeOptions = { docMdp?: number; isLocked: (field: string) => boolean; newSignatureKinds: Kind[] };

/**
 * Classifies revision `k` (against revision k-1) of `bytes`. `docs` caches the opened prefixes.
 * A revision is permitted when every change is allowed by the DocMDP level (default: annotations
 * allowed) and no field locked by an earlier signature (/Lock or FieldMDP) was filled or, for an
 * empty signature field, signed. New signature fields are not judged by locks (they had no value).
 */
export function classifyRevision(bytes: Uint8Array, revisions: Revision[], k: number, docs: Map<number, PdfDocument>, options: ChangeOptions): TRevisionChange {
  const open = (i: number) => {
    let d = docs.get(i);
    if (!d) { d = openPdf(bytes.subarray(0, revisions[i]?.end ?? bytes.length)); docs.set(i, d); }
    return d;
  };
  const before = open(k - 1);
  const after = open(k);
  const ctx = buildContext(before, after);
  const findings: Finding[] = [...pageFindings(before, after)];
  const nums = new Set<number>();
  for (const s of revisions[k]?.sections ?? []) for (const n of s.numbers()) nums.add(n);
  for (const num of nums) {
    if (num === 0) continue;
    const oldV = getObject(before, num);
    if (oldV === null) continue;
    findings.push(...classifyObject(ctx, num, oldV, getObject(after, num)));
  }
  for (const kind of options.newSignatureKinds) findings.push({ kind, text: kind === 'document-timestamp' ? 'Thêm dấu thời gian cho tài liệu' : 'Thêm chữ ký số' });
  const allowed = ALLOWED[options.docMdp ?? 3] ?? [];
  const lockedHit = findings.filter((f) => (f.kind === 'form-fill' || f.kind === 'signature') && f.field !== undefined && options.isLocked(f.field));
  const permitted = findings.every((f) => allowed.includes(f.kind)) && lockedHit.length === 0;
  const kind = findings.reduce<Kind>((acc, f) => (RANK.indexOf(f.kind) > RANK.indexOf(acc) ? f.kind : acc), findings.length ? 'dss' : 'metadata');
  const texts = [...new Set(findings.map((f) => f.text)), ...lockedHit.map((f) => f.kind === 'signature' ? `Trường chữ ký bị khóa (FieldMDP/Lock) của chữ ký trước bị ký: ${f.field ?? ''}` : `Trường bị khóa (FieldMDP) bị điền: ${f.field ?? ''}`)];
  if (!permitted && kind !== 'forbidden' && lockedHit.length === 0) texts.push(`Thay đổi loại "${kind}" không được phép theo DocMDP P=${options.docMdp ?? 3}`);
  return { revision: k, kind: permitted ? kind : 'forbidden', permitted, findings: texts };
}
