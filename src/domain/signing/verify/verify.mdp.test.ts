import { beforeAll, describe, expect, test } from 'vitest';
import { needTool } from '../../../test/tools.ts';
import { createP12Signer, type Signer } from '../keys.ts';
import { createTestPki, type TestPki } from '../testing/pki.ts';
import { addNote, addSignatureFields, fillField, makeForm, signWithMdp, type MdpSignatureOptions } from './verify.mdp.testing.ts';
import { loadTrustStore, type TrustStore } from './verify.trust.ts';
import { verifyPdf } from './verify.ts';
import type { TVerifyReport } from './verify.types.ts';

/**
 * DocMDP (certification, ISO 32000-1 12.8.2.2) and FieldMDP (12.8.2.3) rules: what a later revision
 * may do to a certified or field-locking signature. Each case signs a form, changes it, and reads the
 * classification of the last revision and the first signature's `modifications` check.
 */
describe.skipIf(!needTool('openssl'))('changes after a certification or field-locking signature', () => {
  let pki: TestPki;
  let leader: Signer;
  let seal: Signer;
  let store: TrustStore;
  let form: Uint8Array;

  beforeAll(async () => {
    pki = await createTestPki();
    leader = await createP12Signer(pki.leader.p12, pki.password);
    seal = await createP12Signer(pki.seal.p12, pki.password);
    store = await loadTrustStore({ files: [pki.root.certPath] });
    form = await makeForm();
  }, 120_000);

  const sign = (pdf: Uint8Array, extra: Partial<MdpSignatureOptions> = {}) => signWithMdp(pdf, { signer: leader, fieldName: 'LanhDao', ...extra });
  const verify = (pdf: Uint8Array) => verifyPdf(pdf, { trustStore: store, offline: true });

  /** The last revision's change and whether the first signature still holds (its modifications check). */
  function verdict(report: TVerifyReport) {
    const last = report.changes.at(-1);
    const check = report.signatures[0]?.checks.find((c) => c.name === 'modifications');
    return { kind: last?.kind, permitted: last?.permitted, firstSignature: check?.status, findings: last?.findings ?? [] };
  }

  test('our own fixtures are sound: the certified form verifies with no change, every signature intact', async () => {
    const certified = await sign(form, { docMdp: 2, lock: { action: 'All' } });
    const report = await verify(certified);
    expect(report.signatures[0]?.checks.filter((c) => ['integrity', 'crypto', 'chain'].includes(c.name)).map((c) => c.status)).toEqual(['passed', 'passed', 'passed']);
    expect(report.changes).toEqual([]);
    expect(report.signatures[0]?.checks.find((c) => c.name === 'modifications')?.status).toBe('passed');
  });

  test('DocMDP P=1 (no changes): a further signature and filling a field are both refused', async () => {
    const certified = await sign(form, { docMdp: 1 });
    const signedAgain = await verify(await signWithMdp(certified, { signer: seal, fieldName: 'DauCoQuan' }));
    expect(verdict(signedAgain)).toMatchObject({ kind: 'forbidden', permitted: false, firstSignature: 'failed' });
    expect(signedAgain.signatures[0]).toMatchObject({ indication: 'TOTAL-FAILED', subIndication: 'FORMAT_FAILURE' });
    expect(verdict(await verify(fillField(certified, 'hoTen', 'Nguyen Van B')))).toMatchObject({ kind: 'forbidden', permitted: false, firstSignature: 'failed' });
  });

  test('DocMDP P=2 (form filling and signing): a filled field and a second signature pass, a sticky note does not', async () => {
    const certified = await sign(form, { docMdp: 2 });
    expect(verdict(await verify(fillField(certified, 'hoTen', 'Nguyen Van B')))).toMatchObject({ kind: 'form-fill', permitted: true, firstSignature: 'passed' });
    expect(verdict(await verify(fillField(certified, 'nguoiNhan.diaChi', '12 Tran Phu')))).toMatchObject({ kind: 'form-fill', permitted: true, firstSignature: 'passed' });
    expect(verdict(await verify(await signWithMdp(certified, { signer: seal, fieldName: 'DauCoQuan' })))).toMatchObject({ kind: 'signature', permitted: true, firstSignature: 'passed' });
    const noted = verdict(await verify(addNote(certified)));
    expect(noted).toMatchObject({ kind: 'forbidden', permitted: false, firstSignature: 'failed' });
    expect(noted.findings.join(' ')).toContain('DocMDP P=2');
  });

  test('DocMDP P=3 and no DocMDP: sticky notes and form filling are permitted', async () => {
    for (const certified of [await sign(form, { docMdp: 3 }), await sign(form)]) {
      expect(verdict(await verify(addNote(certified)))).toMatchObject({ kind: 'annotations', permitted: true, firstSignature: 'passed' });
      expect(verdict(await verify(fillField(certified, 'Ghi chú', 'Đã xử lý')))).toMatchObject({ kind: 'form-fill', permitted: true, firstSignature: 'passed' });
    }
  });

  test('field /Lock Include: the listed field is locked, the others can still be filled', async () => {
    const signed = await sign(form, { lock: { action: 'Include', fields: ['hoTen', 'Ghi chú'] } });
    const locked = verdict(await verify(fillField(signed, 'hoTen', 'Nguyen Van B')));
    expect(locked).toMatchObject({ kind: 'forbidden', permitted: false, firstSignature: 'failed' });
    expect(locked.findings.join(' ')).toContain('hoTen');
    expect(verdict(await verify(fillField(signed, 'Ghi chú', 'Đã xử lý')))).toMatchObject({ kind: 'forbidden', firstSignature: 'failed' });
    expect(verdict(await verify(fillField(signed, 'nguoiNhan.diaChi', '12 Tran Phu')))).toMatchObject({ kind: 'form-fill', permitted: true, firstSignature: 'passed' });
  });

  test('field /Lock Exclude: every field but the listed ones is locked; All locks every field', async () => {
    const excluding = await sign(form, { lock: { action: 'Exclude', fields: ['hoTen'] } });
    expect(verdict(await verify(fillField(excluding, 'hoTen', 'Nguyen Van B')))).toMatchObject({ kind: 'form-fill', permitted: true, firstSignature: 'passed' });
    expect(verdict(await verify(fillField(excluding, 'nguoiNhan.diaChi', '12 Tran Phu')))).toMatchObject({ kind: 'forbidden', firstSignature: 'failed' });
    const all = await sign(form, { lock: { action: 'All' } });
    expect(verdict(await verify(fillField(all, 'hoTen', 'Nguyen Van B')))).toMatchObject({ kind: 'forbidden', firstSignature: 'failed' });
  });

  test('a FieldMDP /Reference in the signature dictionary locks fields by their fully qualified names', async () => {
    const signed = await sign(form, { fieldMdp: { action: 'Include', fields: ['nguoiNhan.diaChi'] } });
    expect(verdict(await verify(fillField(signed, 'nguoiNhan.diaChi', '12 Tran Phu')))).toMatchObject({ kind: 'forbidden', firstSignature: 'failed' });
    expect(verdict(await verify(fillField(signed, 'hoTen', 'Nguyen Van B')))).toMatchObject({ kind: 'form-fill', permitted: true, firstSignature: 'passed' });
  });

  test('a later signature locks fields only from its own revision on: filling before it signed is not judged by its lock', async () => {
    const filled = fillField(await sign(form), 'hoTen', 'Nguyen Van B');
    const report = await verify(await signWithMdp(filled, { signer: seal, fieldName: 'DauCoQuan', lock: { action: 'All' } }));
    expect(report.changes.map((c) => [c.kind, c.permitted])).toEqual([['form-fill', true], ['signature', true]]);
    expect(report.signatures.map((s) => s.checks.find((c) => c.name === 'modifications')?.status)).toEqual(['passed', 'passed']);
  });

  describe('a signature field prepared empty before the first signature, signed later', () => {
    /** The form with the leader's and the seal's empty boxes laid out before anyone signs; the leader's box carries `lock`. */
    const prepared = (lock?: MdpSignatureOptions['lock'], sealField = 'DauCoQuan') =>
      addSignatureFields(form, [{ name: 'LanhDao', lock }, { name: sealField }]);
    const leaderThenSeal = async (pdf: Uint8Array, sealField = 'DauCoQuan', extra: Partial<MdpSignatureOptions> = {}) =>
      verify(await signWithMdp(await sign(pdf, extra), { signer: seal, fieldName: sealField }));

    test('the second signer signs their box: a permitted signature, under no lock and under DocMDP P=2', async () => {
      for (const report of [await leaderThenSeal(prepared()), await leaderThenSeal(prepared(), 'DauCoQuan', { docMdp: 2 })]) {
        expect(verdict(report)).toMatchObject({ kind: 'signature', permitted: true, firstSignature: 'passed' });
        expect(verdict(report).findings.join(' ')).toContain('Ký vào trường chữ ký trống: DauCoQuan');
        expect(report.signatures.map((s) => s.checks.find((c) => c.name === 'modifications')?.status)).toEqual(['passed', 'passed']);
      }
    });

    test('a lock that leaves the box out (Include other fields, Exclude the box) lets the second signer sign', async () => {
      for (const lock of [{ action: 'Include' as const, fields: ['hoTen'] }, { action: 'Exclude' as const, fields: ['DauCoQuan'] }]) {
        expect(verdict(await leaderThenSeal(prepared(lock)))).toMatchObject({ kind: 'signature', permitted: true, firstSignature: 'passed' });
      }
    });

    test('a lock that covers the box (All, Include naming it, Exclude not naming it) makes signing it a forbidden change to the first signature', async () => {
      for (const lock of [{ action: 'All' as const }, { action: 'Include' as const, fields: ['DauCoQuan'] }, { action: 'Exclude' as const, fields: ['hoTen'] }]) {
        const report = await leaderThenSeal(prepared(lock));
        const v = verdict(report);
        expect(v).toMatchObject({ kind: 'forbidden', permitted: false, firstSignature: 'failed' });
        expect(v.findings.join(' ')).toContain('Trường chữ ký bị khóa (FieldMDP/Lock) của chữ ký trước bị ký: DauCoQuan');
        expect(report.signatures[0]).toMatchObject({ indication: 'TOTAL-FAILED' });
        expect(report.signatures[1]?.checks.find((c) => c.name === 'modifications')?.status).toBe('passed');
      }
    });

    test('a FieldMDP /Reference locks a box inside a parent field by its fully qualified name', async () => {
      const pdf = prepared(undefined, 'kyDuyet.DauCoQuan');
      const locked = await leaderThenSeal(pdf, 'kyDuyet.DauCoQuan', { fieldMdp: { action: 'Include', fields: ['kyDuyet.DauCoQuan'] } });
      expect(verdict(locked)).toMatchObject({ kind: 'forbidden', firstSignature: 'failed' });
      expect(verdict(locked).findings.join(' ')).toContain('kyDuyet.DauCoQuan');
      const other = await leaderThenSeal(pdf, 'kyDuyet.DauCoQuan', { fieldMdp: { action: 'Include', fields: ['DauCoQuan'] } });
      expect(verdict(other)).toMatchObject({ kind: 'signature', permitted: true, firstSignature: 'passed' });
    });

    test('a new signature field added after a lock-all signature is not a change to a locked field (it had no value)', async () => {
      const report = await verify(await signWithMdp(await sign(form, { lock: { action: 'All' } }), { signer: seal, fieldName: 'ConDauMoi' }));
      expect(verdict(report)).toMatchObject({ kind: 'signature', permitted: true, firstSignature: 'passed' });
    });
  });
});
