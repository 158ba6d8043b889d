/**
 * Object streams (ISO 32000-2 §7.5.7): the header of `num offset` pairs, and extraction of one
 * member object by index.
 */
import { decodeStream } from './filters.ts';
import type { PdfObject, PdfStream } from './objects.ts';
import { parseObject, PdfSyntaxError, readToken, skipWhite } from './parser.ts';

/** One member of an object stream: its object number and offset relative to /First. */
export type ObjStmMember = { num: number; offset: number };

/** A decoded object stream: its data, /First and member table. */
export type DecodedObjStm = { data: Uint8Array; first: number; members: ObjStmMember[] };

/** Decodes an object stream. Throws PdfSyntaxError / PdfFilterError when corrupt. */
export function decodeObjStm(stream: PdfStream): DecodedObjStm {
  const data = decodeStream(stream);
  const n = stream.dict.entries.get('N');
  const first = stream.dict.entries.get('First');
  if (typeof n !== 'number' || typeof first !== 'number' || first > data.length) throw new PdfSyntaxError('Bad object stream', stream.rawOffset);
  const members: ObjStmMember[] = [];
  let p = 0;
  for (let i = 0; i < n; i++) {
    const num = readToken(data, skipWhite(data, p));
    const offset = readToken(data, skipWhite(data, num.end));
    if (!/^\d+$/.test(num.token) || !/^\d+$/.test(offset.token)) throw new PdfSyntaxError('Bad object stream header', stream.rawOffset);
    members.push({ num: Number(num.token), offset: Number(offset.token) });
    p = offset.end;
  }
  return { data, first, members };
}

/** The member table of an object stream. Throws like decodeObjStm. */
export function readObjStmHeader(stream: PdfStream): ObjStmMember[] {
  return decodeObjStm(stream).members;
}

/** Parses member `index` of a decoded object stream; undefined when the index is out of range. */
export function objStmMember(decoded: DecodedObjStm, index: number): { num: number; value: PdfObject } | undefined {
  const member = decoded.members[index];
  if (!member) return undefined;
  return { num: member.num, value: parseObject(decoded.data, decoded.first + member.offset).value };
}
