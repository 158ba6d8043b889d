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
});
