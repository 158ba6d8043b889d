import { deflateSync } from 'node:zlib';
import { appearanceInvalid } from './appearance.errors.ts';
import type { Color, PdfObject } from './appearance.types.ts';

const encoder = new TextEncoder();

/** Formats a number for a PDF content stream or dict: at most 3 decimals, no exponent, no `-0`. */
export function num(value: number): string {
  const rounded = Math.round(value * 1000) / 1000;
  if (Object.is(rounded, -0) || rounded === 0) return '0';
  return String(rounded);
}

/** A dictionary-only object (no stream). */
export function dictObject(objNum: number, dict: string): PdfObject {
  return { num: objNum, body: encoder.encode(dict) };
}

/**
 * A stream object: `dict` is the dictionary text without `/Length` and `/Filter` (added here).
 * Pass `alreadyDeflated` for data that is Flate-compressed already (cached font files, images).
 */
export function streamObject(
  objNum: number,
  dict: string,
  data: Uint8Array,
  opts: { compress?: boolean; alreadyDeflated?: boolean } = {},
): PdfObject {
  const isDeflated = opts.alreadyDeflated === true || opts.compress !== false;
  const payload = opts.alreadyDeflated === true || opts.compress === false ? data : deflateSync(data);
  const inner = dict.trim().replace(/^<<|>>$/g, '').trim();
  const head = `<<${inner === '' ? '' : ` ${inner}`} /Length ${payload.length}${isDeflated ? ' /Filter /FlateDecode' : ''}>>\nstream\n`;
  const headBytes = encoder.encode(head);
  const tail = encoder.encode('\nendstream');
  const body = new Uint8Array(headBytes.length + payload.length + tail.length);
  body.set(headBytes, 0);
  body.set(payload, headBytes.length);
  body.set(tail, headBytes.length + payload.length);
  return { num: objNum, body };
}

/** Parses a colour into 0..1 RGB components. Throws signing.appearance_invalid on a malformed value. */
export function rgb(color: Color): [number, number, number] {
  if (typeof color !== 'string') return [color[0], color[1], color[2]];
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color.trim());
  if (!m || m[1] === undefined || m[2] === undefined || m[3] === undefined) {
    throw appearanceInvalid({ color }, { message: `Màu không hợp lệ: "${color}" (cần dạng #rrggbb).` });
  }
  return [parseInt(m[1], 16) / 255, parseInt(m[2], 16) / 255, parseInt(m[3], 16) / 255];
}

/** The `r g b rg` fill operator for a colour. */
export function fillColorOp(color: Color): string {
  return `${rgb(color).map(num).join(' ')} rg`;
}

/** Encodes a PDF name token safely (only letters/digits are used for our resource names). */
export function pdfName(name: string): string {
  return `/${name.replace(/[^A-Za-z0-9+_.-]/g, (c) => `#${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}`;
}

/** A Form XObject with the given content and resources dict text. */
export function formXObject(objNum: number, width: number, height: number, resources: string, content: string): PdfObject {
  const dict = `<< /Type /XObject /Subtype /Form /FormType 1 /BBox [0 0 ${num(width)} ${num(height)}] /Matrix [1 0 0 1 0 0] /Resources ${resources} >>`;
  return streamObject(objNum, dict, encoder.encode(content));
}
