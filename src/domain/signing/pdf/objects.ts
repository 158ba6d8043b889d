/**
 * The typed PDF object model shared by the lazy reader, the serializer and the incremental writer.
 * Primitive PDF values map to JS primitives (null, boolean, number); everything else is a tagged
 * object. Names are stored decoded (without the leading slash, `#xx` escapes resolved).
 */

/** A PDF name such as `/Type` (value `Type`). */
export type PdfName = { type: 'name'; value: string };
/** A PDF string: the decoded bytes, and whether it was written in hex form `<…>`. */
export type PdfString = { type: 'string'; bytes: Uint8Array; hex: boolean };
/** An indirect reference `num gen R`. */
export type PdfRef = { type: 'ref'; num: number; gen: number };
/** A PDF array. */
export type PdfArray = { type: 'array'; items: PdfObject[] };
/** A PDF dictionary; keys are decoded names without the slash, in file order. */
export type PdfDict = { type: 'dict'; entries: Map<string, PdfObject> };
/**
 * A stream: its dictionary and the raw (still encoded) bytes between `stream` and `endstream`.
 * `rawOffset` is the absolute offset of the first data byte in the file (-1 for new streams).
 */
export type PdfStream = { type: 'stream'; dict: PdfDict; raw: Uint8Array; rawOffset: number };
/** Any PDF object. */
export type PdfObject = null | boolean | number | PdfName | PdfString | PdfRef | PdfArray | PdfDict | PdfStream;

/** Makes a name object. */
export function pdfName(value: string): PdfName {
  return { type: 'name', value };
}

/** Makes a reference object. */
export function pdfRef(num: number, gen = 0): PdfRef {
  return { type: 'ref', num, gen };
}

/** Makes a dictionary from a plain record (undefined values are skipped). */
export function pdfDict(record: Record<string, PdfObject | undefined> = {}): PdfDict {
  const entries = new Map<string, PdfObject>();
  for (const [key, value] of Object.entries(record)) if (value !== undefined) entries.set(key, value);
  return { type: 'dict', entries };
}

/** Makes an array object. */
export function pdfArray(items: PdfObject[]): PdfArray {
  return { type: 'array', items };
}

/** Makes a literal string from text: PDFDocEncoding-safe ASCII as is, anything else as UTF-16BE with BOM. */
export function pdfText(text: string): PdfString {
  if (/^[\x20-\x7e]*$/.test(text)) return { type: 'string', bytes: new TextEncoder().encode(text), hex: false };
  const bytes = new Uint8Array(2 + text.length * 2);
  bytes[0] = 0xfe;
  bytes[1] = 0xff;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    bytes[2 + i * 2] = code >> 8;
    bytes[3 + i * 2] = code & 0xff;
  }
  return { type: 'string', bytes, hex: false };
}

/** Makes a string object holding raw bytes. */
export function pdfBytes(bytes: Uint8Array, hex = true): PdfString {
  return { type: 'string', bytes, hex };
}

/** True for a dictionary. */
export function isDict(value: PdfObject | undefined): value is PdfDict {
  return typeof value === 'object' && value !== null && value.type === 'dict';
}

/** True for a stream. */
export function isStream(value: PdfObject | undefined): value is PdfStream {
  return typeof value === 'object' && value !== null && value.type === 'stream';
}

/** True for an indirect reference. */
export function isRef(value: PdfObject | undefined): value is PdfRef {
  return typeof value === 'object' && value !== null && value.type === 'ref';
}

/** True for an array. */
export function isArray(value: PdfObject | undefined): value is PdfArray {
  return typeof value === 'object' && value !== null && value.type === 'array';
}

/** The name's value when `value` is a name, else undefined. */
export function nameOf(value: PdfObject | undefined): string | undefined {
  return typeof value === 'object' && value !== null && value.type === 'name' ? value.value : undefined;
}

/** The number when `value` is a number, else undefined. */
export function numberOf(value: PdfObject | undefined): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

/** The bytes when `value` is a string, else undefined. */
export function bytesOf(value: PdfObject | undefined): Uint8Array | undefined {
  return typeof value === 'object' && value !== null && value.type === 'string' ? value.bytes : undefined;
}

/** Decodes a PDF text string (UTF-16BE with BOM, UTF-8 with BOM, else PDFDocEncoding ≈ Latin-1). */
export function textOf(value: PdfObject | undefined): string | undefined {
  const bytes = bytesOf(value);
  if (!bytes) return undefined;
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder().decode(bytes.subarray(3));
  let out = '';
  for (const byte of bytes) out += String.fromCharCode(byte);
  return out;
}

/** Returns a shallow copy of a dictionary (entries map copied, values shared). */
export function copyDict(dict: PdfDict): PdfDict {
  return { type: 'dict', entries: new Map(dict.entries) };
}
