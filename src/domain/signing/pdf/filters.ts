/**
 * Stream decoding for the filters the signing engine needs to read structure: FlateDecode (with PNG
 * and TIFF predictors, as used by xref and object streams). Other filters are reported, not decoded.
 */
import { inflateSync } from 'node:zlib';
import { isArray, isDict, nameOf, numberOf } from './objects.ts';
import type { PdfDict, PdfObject, PdfStream } from './objects.ts';

/** Thrown when a stream uses a filter this module does not decode, or its data is corrupt. */
export class PdfFilterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PdfFilterError';
  }
}

/** Decodes a stream's raw bytes through its /Filter chain (FlateDecode only). Throws PdfFilterError. */
export function decodeStream(stream: PdfStream): Uint8Array {
  const filter = stream.dict.entries.get('Filter');
  const params = stream.dict.entries.get('DecodeParms');
  const filters = isArray(filter) ? filter.items : filter === undefined || filter === null ? [] : [filter];
  const paramList = isArray(params) ? params.items : [params ?? null];
  let data = stream.raw;
  filters.forEach((f, i) => {
    const name = nameOf(f);
    if (name !== 'FlateDecode' && name !== 'Fl') throw new PdfFilterError(`Unsupported filter ${name ?? '?'}`);
    data = inflate(data);
    const p = paramList[i];
    if (isDict(p)) data = unpredict(data, p);
  });
  return data;
}

// Structure streams (xref, object streams, DSS) are small; a larger output is a decompression bomb.
const MAX_INFLATED_BYTES = 128 * 1024 * 1024;

function inflate(data: Uint8Array): Uint8Array {
  try {
    return inflateSync(data, { finishFlush: 2 /* Z_SYNC_FLUSH: tolerate truncated streams */, maxOutputLength: MAX_INFLATED_BYTES });
  } catch (error) {
    throw new PdfFilterError(`Corrupt FlateDecode data: ${(error as Error).message}`);
  }
}

function param(dict: PdfDict, key: string, fallback: number): number {
  return numberOf(dict.entries.get(key) as PdfObject | undefined) ?? fallback;
}

function unpredict(data: Uint8Array, params: PdfDict): Uint8Array {
  const predictor = param(params, 'Predictor', 1);
  if (predictor < 10) {
    if (predictor === 1) return data;
    throw new PdfFilterError(`Unsupported predictor ${predictor}`);
  }
  const colors = param(params, 'Colors', 1);
  const bpc = param(params, 'BitsPerComponent', 8);
  const columns = param(params, 'Columns', 1);
  const bpp = Math.max(1, Math.ceil((colors * bpc) / 8));
  const rowLength = Math.ceil((colors * bpc * columns) / 8);
  const rows = Math.floor(data.length / (rowLength + 1));
  const out = new Uint8Array(rows * rowLength);
  for (let r = 0; r < rows; r++) {
    const type = data[r * (rowLength + 1)] ?? 0;
    const src = r * (rowLength + 1) + 1;
    const dst = r * rowLength;
    for (let i = 0; i < rowLength; i++) {
      const raw = data[src + i] ?? 0;
      const left = i >= bpp ? (out[dst + i - bpp] ?? 0) : 0;
      const up = r > 0 ? (out[dst - rowLength + i] ?? 0) : 0;
      const upLeft = r > 0 && i >= bpp ? (out[dst - rowLength + i - bpp] ?? 0) : 0;
      out[dst + i] = (raw + predict(type, left, up, upLeft)) & 0xff;
    }
  }
  return out;
}

function predict(type: number, left: number, up: number, upLeft: number): number {
  switch (type) {
    case 0: return 0;
    case 1: return left;
    case 2: return up;
    case 3: return (left + up) >> 1;
    case 4: {
      const p = left + up - upLeft;
      const pa = Math.abs(p - left);
      const pb = Math.abs(p - up);
      const pc = Math.abs(p - upLeft);
      return pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
    }
    default: throw new PdfFilterError(`Bad PNG predictor row type ${type}`);
  }
}
