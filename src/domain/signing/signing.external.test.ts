import { createPrivateKey, sign as nodeSign, webcrypto } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import { needTool } from '../../test/tools.ts';
import { assembleCms, buildSignedAttributes, createCmsContext } from './signing.cms.ts';
import { finishExternalSignature, prepareExternalSignature } from './signing.external.ts';
import type { ExternalSigningState } from './signing.external.ts';
import { checkWithTools } from './testing/check.ts';
import * as corpus from './testing/corpus.ts';
import { createTestPki } from './testing/pki.ts';
import type { TestPki } from './testing/pki.ts';

describe.skipIf(!needTool('pdfsig', 'qpdf'))('external (deferred) signing', () => {
  let pki: TestPki;
  let pdf: Uint8Array;
  beforeAll(async () => {
    pki = await createTestPki();
    pdf = readFileSync(await corpus.qpdfObjStm());
  });
  const signWith = (keyPem: string, data: string) => new Uint8Array(nodeSign('sha256', Buffer.from(data, 'base64'), createPrivateKey(keyPem)));
  const roundTrip = (state: ExternalSigningState): ExternalSigningState => JSON.parse(JSON.stringify(state));

  test('prepare → JSON state → raw signature from the key holder → a valid PDF', async () => {
    const prepared = prepareExternalSignature(pdf, { certificate: pki.leader.certDer, chain: [pki.intermediate.certDer], reason: 'Ký duyệt' });
    const out = await finishExternalSignature(roundTrip(prepared.state), { signature: signWith(pki.leader.keyPem, prepared.signedAttributes) });
    const report = checkWithTools(out);
    expect(report.qpdfStatus).toBe(0);
    expect(report.signatures.map((s) => s.valid)).toEqual([true]);
  });

  test('an ECDSA WebCrypto signature (r‖s) is accepted', async () => {
    const prepared = prepareExternalSignature(pdf, { certificate: pki.ecdsa.certDer });
    const key = await webcrypto.subtle.importKey('pkcs8', createPrivateKey(pki.ecdsa.keyPem).export({ type: 'pkcs8', format: 'der' }), { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
    const raw = new Uint8Array(await webcrypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key, Buffer.from(prepared.signedAttributes, 'base64')));
    const out = await finishExternalSignature(prepared.state, { signature: raw });
    expect(checkWithTools(out).signatures.map((s) => s.valid)).toEqual([true]);
  });

  test('a whole CMS made by the client is checked and embedded', async () => {
    const prepared = prepareExternalSignature(pdf, { certificate: pki.leader.certDer });
    const ctx = createCmsContext(pki.leader.certDer, [], 'RSA', 'SHA-256');
    const signed = buildSignedAttributes(ctx, Buffer.from(prepared.state.documentDigest, 'base64'));
    const cms = assembleCms(ctx, { signed, signature: new Uint8Array(nodeSign('sha256', signed.der, createPrivateKey(pki.leader.keyPem))) });
    const out = await finishExternalSignature(prepared.state, { cms });
    expect(checkWithTools(out).signatures.map((s) => s.valid)).toEqual([true]);
  });

  test('a signature over other bytes, from another key, or after expiry is refused', async () => {
    const prepared = prepareExternalSignature(pdf, { certificate: pki.leader.certDer, ttlSeconds: 60 });
    const other = Buffer.from('other bytes').toString('base64');
    await expect(finishExternalSignature(prepared.state, { signature: signWith(pki.leader.keyPem, other) })).rejects.toMatchObject({ code: 'signing.signature_mismatch' });
    await expect(finishExternalSignature(prepared.state, { signature: signWith(pki.seal.keyPem, prepared.signedAttributes) })).rejects.toMatchObject({ code: 'signing.signature_mismatch' });
    const later = new Date(Date.now() + 120_000);
    await expect(finishExternalSignature(prepared.state, { signature: signWith(pki.leader.keyPem, prepared.signedAttributes) }, { now: later })).rejects.toMatchObject({ code: 'signing.prepare_expired' });
    const tampered = { ...prepared.state, pdf: Buffer.from(Buffer.from(prepared.state.pdf, 'base64').fill(0x20, 100, 120)).toString('base64') };
    await expect(finishExternalSignature(tampered, { signature: signWith(pki.leader.keyPem, prepared.signedAttributes) })).rejects.toMatchObject({ code: 'signing.state_invalid' });
  });
});
