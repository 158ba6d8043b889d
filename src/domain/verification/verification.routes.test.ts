import { beforeAll, describe, expect, test } from 'vitest';
import { PDFDocument } from '@cantoo/pdf-lib';
import { sql } from 'kysely';
import { useTestApp } from '../../test/app.ts';
import { signedInClient } from '../../test/http.ts';
import { ensureDemoCa, issueDemoCertificate } from '../certificates/certificates.pki.ts';
import { createP12Signer } from '../signing/keys.ts';
import { signPdf } from '../signing/signing.pades.ts';
import type { TVerifyReport } from '../signing/verify/verify.types.ts';
import { checkPublicPdf } from './verification.service.ts';

const t = useTestApp({ demo: true });
let signed: Uint8Array<ArrayBuffer>;

beforeAll(async () => {
  const ca = await ensureDemoCa(t.deps.config.dataDir);
  const cert = await issueDemoCertificate(ca, { commonName: 'Trần Văn Minh', title: 'Chủ tịch', organization: 'UBND tỉnh Thái Hòa', password: 'p12pass' });
  const doc = await PDFDocument.create();
  doc.addPage([595, 842]).drawText('Quyet dinh so 15');
  signed = new Uint8Array(await signPdf(await doc.save(), { signer: await createP12Signer(cert.p12, 'p12pass') }));
});

const check = (bytes: Uint8Array<ArrayBuffer>, name = 'quyet-dinh.pdf') =>
  t.app.request('/api/verification/check', { method: 'POST', headers: { 'content-type': 'application/pdf', 'x-file-name': encodeURIComponent(name) }, body: bytes });

describe('the public signature check', () => {
  test('anyone can check a signed PDF without logging in, and the file is not kept', async () => {
    const blobsBefore = (await t.db.selectFrom('blob').select('sha256').execute()).length;
    const res = await check(signed);
    expect(res.status).toBe(200);
    const report = ((await res.json()) as { data: TVerifyReport }).data;
    expect(report.signatureCount).toBe(1);
    expect(report.signatures[0]?.signerName).toBe('Trần Văn Minh');
    expect(report.indication).toBe('TOTAL-PASSED');
    expect(report.summary.length).toBeGreaterThan(5);
    expect((await t.db.selectFrom('blob').select('sha256').execute()).length).toBe(blobsBefore);
  });

  test('a signed PDF with a flipped byte fails', async () => {
    const tampered = new Uint8Array(signed);
    // Flip one byte inside the signed range (the page's content stream, before the signature's update).
    const at = Buffer.from(tampered).indexOf('stream') + 10;
    tampered[at] = (tampered[at] ?? 0) ^ 0xff;
    const report = ((await (await check(tampered)).json()) as { data: TVerifyReport }).data;
    expect(report.indication).toBe('TOTAL-FAILED');
  });

  test('one address may check 60 files in ten minutes; the 61st is refused (auth.rate_limited), another address is not', async () => {
    const ip = '198.51.100.61';
    await t.db.insertInto('loginAttempt').values(Array.from({ length: 59 }, () => ({ key: `verify:${ip}` }))).execute();
    expect((await checkPublicPdf(t.deps, { bytes: signed, ip })).signatureCount).toBe(1);
    await expect(checkPublicPdf(t.deps, { bytes: signed, ip })).rejects.toMatchObject({ code: 'auth.rate_limited' });
    expect((await checkPublicPdf(t.deps, { bytes: signed, ip: '198.51.100.62' })).signatureCount).toBe(1);
  });

  test('a file that is not a PDF is a clear error', async () => {
    const res = await check(new Uint8Array(Buffer.from('xin chào')));
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toMatch(/^verify\./);
  });
});

describe('the trust store', () => {
  test('a province admin adds a root certificate; an agency admin may not', async () => {
    const ca = await ensureDemoCa(t.deps.config.dataDir);
    const province = await signedInClient(t.app, t.db, { roles: ['province_admin'] });
    const pem = `-----BEGIN CERTIFICATE-----\n${Buffer.from(ca.certDer).toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`;
    const added = await province.client.post('/api/verification/trust', pem, { 'content-type': 'application/x-pem-file' });
    expect(added.status).toBe(201);
    const list = (await province.client.get('/api/verification/trust')).body.data as { entries: { isRoot: boolean }[] };
    expect(list.entries.some((e) => e.isRoot)).toBe(true);
    const admin = await signedInClient(t.app, t.db, { roles: ['admin'] });
    expect((await admin.client.get('/api/verification/trust')).status).toBe(403);
    expect((await province.client.post('/api/verification/trust', 'không phải chứng thư', { 'content-type': 'text/plain' })).body.error?.code).toBe('verification.trust_invalid');
  });

  test('a change whose audit row cannot be written leaves the store as it was', async () => {
    const ca = await ensureDemoCa(t.deps.config.dataDir);
    const other = await issueDemoCertificate(ca, { commonName: 'Chứng thư thử', organization: 'UBND tỉnh Thái Hòa', password: 'x' });
    const province = await signedInClient(t.app, t.db, { roles: ['province_admin'] });
    const storeFiles = async () => ((await province.client.get('/api/verification/trust')).body.data as { entries: { fileName: string }[] }).entries.map((e) => e.fileName).sort();
    const pem = (der: Uint8Array) => `-----BEGIN CERTIFICATE-----\n${Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`;
    const root = (await province.client.post('/api/verification/trust', pem(ca.certDer), { 'content-type': 'application/x-pem-file' })).body.data as { fileName: string }[];
    const before = await storeFiles();
    await sql`alter table audit_log rename to audit_log_away`.execute(t.db);
    try {
      expect((await province.client.delete(`/api/verification/trust/${root[0]!.fileName}`)).status).toBe(500);
      expect((await province.client.post('/api/verification/trust', pem(other.certDer), { 'content-type': 'application/x-pem-file' })).status).toBe(500);
    } finally {
      await sql`alter table audit_log_away rename to audit_log`.execute(t.db);
    }
    expect(await storeFiles()).toEqual(before);
    expect((await province.client.delete(`/api/verification/trust/${root[0]!.fileName}`)).status).toBe(200);
    expect(await storeFiles()).toEqual(before.filter((f) => f !== root[0]!.fileName));
  });
});

describe('the signature panel of a stored document file', () => {
  test('needs a session, and a document the user may not see is not found', async () => {
    const path = `/api/verification/documents/outgoing/${crypto.randomUUID()}/files/${crypto.randomUUID()}`;
    expect((await t.app.request(path)).status).toBe(401);
    const staff = await signedInClient(t.app, t.db, { roles: ['staff'] });
    const res = await staff.client.get(path);
    expect(res.status).toBe(404);
    expect(res.body.error?.code).toBe('outgoing.not_found');
  });
});
