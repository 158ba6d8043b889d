import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { needTool } from '../../test/tools.ts';
import { createP12Signer } from './keys.ts';
import { signBatch } from './signing.batch.ts';
import { openPkcs11Signer } from './signing.pkcs11.ts';
import { checkWithTools } from './testing/check.ts';
import * as corpus from './testing/corpus.ts';
import { createTestPki } from './testing/pki.ts';
import type { TestPki } from './testing/pki.ts';
import { createSoftToken } from './testing/softhsm.ts';

describe.skipIf(!needTool('qpdf', 'pdfsig', 'softhsm2-util', 'pkcs11-tool'))('batch signing', () => {
  let pki: TestPki;
  let inputs: string[];
  const dir = corpus.scratchDir('batch');

  beforeAll(async () => {
    pki = await createTestPki();
    const broken = join(dir, 'truncated.pdf');
    // big5mb goes through a worker thread (files ≥ 256 KB); the small ones are prepared on the main thread.
    const good = [await corpus.pdfLibClassic(), await corpus.qpdfObjStm(), await corpus.big5mb(), await corpus.hybrid()];
    writeFileSync(broken, readFileSync(good[2] ?? '').subarray(0, 400_000)); // a truncated big file fails inside a worker
    inputs = [...good, broken, join(dir, 'missing.pdf')];
  });

  test('a P12 batch signs every good file validly and reports the bad ones without stopping', async () => {
    const out = corpus.scratchDir('batch-out');
    const signer = await createP12Signer(pki.seal.p12, pki.password);
    const outcomes = await signBatch(inputs.map((input, i) => ({ input, output: join(out, `${i}.pdf`) })), { signer, workers: 2 });
    expect(outcomes.map((o) => o.ok)).toEqual([true, true, true, true, false, false]);
    expect(outcomes[4]).toMatchObject({ code: 'signing.pdf_invalid' });
    expect(outcomes[5]).toMatchObject({ code: 'signing.input_unreadable' });
    for (const o of outcomes.filter((x) => x.ok)) expect(checkWithTools(readFileSync(o.output ?? "")).signatures.map((s) => s.valid)).toEqual([true]);
    expect(existsSync(join(out, '4.pdf'))).toBe(false);
    expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  test('a token batch logs in once; when the token goes away mid-batch the rest fail cleanly', async () => {
    const token = createSoftToken([{ label: 'seal', id: '01', keyPem: pki.seal.keyPem, certDer: pki.seal.certDer }]);
    const signer = openPkcs11Signer({ module: token.module, pin: token.pin });
    const out = corpus.scratchDir('batch-token');
    const small = [await corpus.pdfLibClassic(), await corpus.qpdfObjStm(), await corpus.qpdfLinearized(), await corpus.hybrid()];
    const items = Array.from({ length: 12 }, (_, i) => ({ input: small[i % small.length] ?? '', output: join(out, `f${i}.pdf`) }));
    let seen = 0;
    const outcomes = await signBatch(items, {
      signer, inFlight: 1,
      onOutcome: () => {
        if (++seen === 3) signer.close(); // the token is pulled out after the third file
      },
    });
    expect(outcomes.slice(0, 3).every((o) => o.ok)).toBe(true);
    expect(outcomes.slice(3).map((o) => (o.ok ? 'ok' : o.code))).toEqual(Array(9).fill('signing.token_removed'));
    for (const o of outcomes) {
      if (o.ok) expect(checkWithTools(readFileSync(o.output ?? '')).signatures.map((s) => s.valid)).toEqual([true]);
      else expect(existsSync(o.output ?? '')).toBe(false);
    }
    expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  test('big files given by path are signed and written by the workers on a token: the PIN session signs, the worker writes', async () => {
    const token = createSoftToken([{ label: 'seal', id: '01', keyPem: pki.seal.keyPem, certDer: pki.seal.certDer }]);
    const signer = openPkcs11Signer({ module: token.module, pin: token.pin });
    const out = corpus.scratchDir('batch-big-token');
    const big = await corpus.big5mb();
    const items = [0, 1, 2].map((i) => ({ input: big, output: join(out, `big${i}.pdf`) }));
    try {
      const outcomes = await signBatch(items, { signer, workers: 2 });
      expect(outcomes.map((o) => o.ok)).toEqual([true, true, true]);
      for (const o of outcomes) {
        const signed = readFileSync(o.output ?? '');
        expect(o.ok && o.bytes).toBe(signed.length);
        expect(checkWithTools(signed).signatures.map((s) => s.valid)).toEqual([true]);
      }
    } finally {
      signer.close();
    }
  });

  test('a big file whose output cannot be written fails alone with signing.output_failed and leaves no temp file', async () => {
    const signer = await createP12Signer(pki.seal.p12, pki.password);
    const out = corpus.scratchDir('batch-big-unwritable');
    const big = await corpus.big5mb();
    const items = [
      { input: big, output: join(out, 'no-such-folder', 'a.pdf') },
      { input: big, output: join(out, 'b.pdf') },
    ];
    const outcomes = await signBatch(items, { signer, workers: 2 });
    expect(outcomes.map((o) => (o.ok ? 'ok' : o.code))).toEqual(['signing.output_failed', 'ok']);
    expect(checkWithTools(readFileSync(join(out, 'b.pdf'))).signatures.map((s) => s.valid)).toEqual([true]);
    expect(readdirSync(out)).toEqual(['b.pdf']);
  });

  test('big files given as bytes come back as the caller\'s own bytes plus the update, plain or shared, and stay usable', async () => {
    const signer = await createP12Signer(pki.seal.p12, pki.password);
    const big = readFileSync(await corpus.big5mb());
    const plain = new Uint8Array(big);
    const shared = new Uint8Array(new SharedArrayBuffer(big.length));
    shared.set(big);
    const truncated = new Uint8Array(new SharedArrayBuffer(400_000));
    truncated.set(big.subarray(0, 400_000));
    // Eight files at once: the reusable shared buffers are taken and given back while others are in flight.
    const items = [plain, shared, truncated, plain, shared, plain, shared, plain].map((input) => ({ input }));
    const outcomes = await signBatch(items, { signer, workers: 2, inFlight: 8 });
    expect(outcomes.map((o) => (o.ok ? 'ok' : o.code))).toEqual(['ok', 'ok', 'signing.pdf_invalid', 'ok', 'ok', 'ok', 'ok', 'ok']);
    for (const [i, o] of outcomes.entries()) {
      if (!o.ok) continue;
      expect(o.pdf?.[0]).toBe(items[i]?.input);
      expect(checkWithTools(Buffer.concat(o.pdf ?? [])).signatures.map((s) => s.valid)).toEqual([true]);
    }
    expect(Buffer.from(plain).equals(big)).toBe(true);
    expect(Buffer.from(shared).equals(big)).toBe(true);
  });
});
