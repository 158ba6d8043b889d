import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { needTool } from '../../../test/tools.ts';
import { isAppError } from '../../../platform/errors.ts';
import { prepareSignature } from '../signing.pades.ts';
import * as corpus from '../testing/corpus.ts';
import { createTestPki } from '../testing/pki.ts';
import { getObject, listObjectNumbers, openPdf } from './reader.ts';
import { listPages, listRevisions, listSignatures } from './structure.ts';

/** A small deterministic PRNG so a failure can be replayed from its seed. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function mutate(base: Uint8Array, rand: () => number): Uint8Array {
  const bytes = Uint8Array.from(base);
  const kind = Math.floor(rand() * 5);
  const at = Math.floor(rand() * bytes.length);
  if (kind === 0) return bytes.subarray(0, at); // truncation
  if (kind === 1) {
    for (let i = 0; i < 1 + rand() * 8; i++) bytes[Math.floor(rand() * bytes.length)] = Math.floor(rand() * 256);
    return bytes;
  }
  if (kind === 2) {
    const digits = new TextEncoder().encode(String(Math.floor(rand() * 1e7)));
    bytes.set(digits.subarray(0, Math.max(0, bytes.length - at)), at); // a wrong number/offset somewhere
    return bytes;
  }
  if (kind === 3) {
    const from = Math.floor(rand() * bytes.length);
    return new Uint8Array([...bytes.subarray(0, at), ...bytes.subarray(from, from + 64), ...bytes.subarray(at)]); // duplicated chunk
  }
  return new Uint8Array([...bytes.subarray(0, at), ...bytes.subarray(Math.min(bytes.length, at + 1 + Math.floor(rand() * 32)))]); // deletion
}


describe.skipIf(!needTool('qpdf'))('parser fuzzing', () => {
  test('3,000 mutated PDFs: every call returns or throws a clear error, none hangs or crashes (bounded by the test timeout)', async () => {
    const bases = await Promise.all([corpus.pdfLibClassic(), corpus.qpdfObjStm(), corpus.qpdfLinearized(), corpus.hybrid(), corpus.formAndAnnots()]);
    const files = bases.map((p) => new Uint8Array(readFileSync(p)));
    const pki = await createTestPki();
    const identity = { certificate: pki.seal.certDer, chain: [], keyAlgorithm: 'RSA' as const };
    const rand = prng(20260305);
    let opened = 0;
    let signed = 0;
    for (let i = 0; i < 3000; i++) {
      const input = mutate(files[i % files.length] ?? new Uint8Array(), rand);
      try {
        const doc = openPdf(input);
        opened++;
        listPages(doc);
        listRevisions(doc);
        listSignatures(doc);
        for (const n of listObjectNumbers(doc).slice(0, 200)) getObject(doc, n);
      } catch (error) {
        // The reader may throw our AppError or its typed syntax/filter errors, nothing else.
        const ok = isAppError(error) || (error instanceof Error && ['PdfSyntaxError', 'PdfFilterError'].includes(error.name));
        expect(ok, `step ${i}: ${String(error)}\n${(error as Error).stack}`).toBe(true);
      }
      try {
        prepareSignature(input, identity, { contentsSize: 64 });
        signed++;
      } catch (error) {
        // Signing turns every problem into a clear signing.* AppError (Vietnamese message).
        expect(isAppError(error) && error.code.startsWith('signing.'), `step ${i}: ${String(error)}\n${(error as Error).stack}`).toBe(true);
      }
    }
    expect(opened).toBeGreaterThan(1000);
    expect(signed).toBeGreaterThan(500);
    expect(opened).toBeGreaterThan(1000);
  }, 180_000);
});
