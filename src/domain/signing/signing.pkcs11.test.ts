import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import { needTool } from '../../test/tools.ts';
import { signPdf } from './signing.pades.ts';
import { openPkcs11Signer } from './signing.pkcs11.ts';
import { checkWithTools } from './testing/check.ts';
import * as corpus from './testing/corpus.ts';
import { createTestPki } from './testing/pki.ts';
import type { TestPki } from './testing/pki.ts';
import { createSoftToken } from './testing/softhsm.ts';

describe.skipIf(!needTool('softhsm2-util', 'pkcs11-tool', 'pdfsig'))('PKCS#11 signing on SoftHSM2', () => {
  let pki: TestPki;
  let token: { module: string; pin: string };

  beforeAll(async () => {
    pki = await createTestPki();
    token = createSoftToken([
      { label: 'leader', id: '01', keyPem: pki.leader.keyPem, certDer: pki.leader.certDer, extraCerts: [pki.intermediate.certDer] },
      { label: 'ecdsa', id: '02', keyPem: pki.ecdsa.keyPem, certDer: pki.ecdsa.certDer },
    ]);
  });

  test('one login signs several PDFs with RSA and ECDSA keys; the signatures are valid', async () => {
    const rsa = openPkcs11Signer({ module: token.module, pin: token.pin, keyLabel: 'leader' });
    try {
      expect(rsa.chain.length).toBeGreaterThan(0);
      let pdf = readFileSync(await corpus.pdfLibObjStm());
      for (let i = 0; i < 3; i++) pdf = Buffer.from(await signPdf(pdf, { signer: rsa }));
      expect(checkWithTools(pdf).signatures.map((s) => s.valid)).toEqual([true, true, true]);
    } finally {
      rsa.close();
    }
    const ec = openPkcs11Signer({ module: token.module, pin: token.pin, keyLabel: 'ecdsa' });
    try {
      const out = await signPdf(readFileSync(await corpus.pdfLibClassic()), { signer: ec, hash: 'SHA-384' });
      expect(checkWithTools(out).signatures.map((s) => s.valid)).toEqual([true]);
    } finally {
      ec.close();
    }
  });

  test('RSA-PSS through the token is valid', async () => {
    const pss = openPkcs11Signer({ module: token.module, pin: token.pin, keyLabel: 'leader', algorithm: 'RSA-PSS' });
    try {
      const out = await signPdf(readFileSync(await corpus.pdfLibClassic()), { signer: pss });
      expect(checkWithTools(out).signatures.map((s) => s.valid)).toEqual([true]);
    } finally {
      pss.close();
    }
  });

  test('a wrong PIN and an unknown key label give clear errors', () => {
    expect(() => openPkcs11Signer({ module: token.module, pin: '0000' })).toThrow(expect.objectContaining({ code: 'signing.token_bad_pin' }));
    expect(() => openPkcs11Signer({ module: token.module, pin: token.pin, keyLabel: 'nope' })).toThrow(expect.objectContaining({ code: 'signing.token_key_not_found' }));
  });

  test('a session closed under the signer (token gone) fails with signing.token_removed', async () => {
    const signer = openPkcs11Signer({ module: token.module, pin: token.pin, keyLabel: 'leader' });
    signer.close();
    await expect(signer.sign(new Uint8Array([1]), 'SHA-256')).rejects.toMatchObject({ code: expect.stringMatching(/^signing\.token_(removed|error)$/) });
  });
});
