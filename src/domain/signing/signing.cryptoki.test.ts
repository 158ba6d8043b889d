import koffi from 'koffi';
import { beforeAll, describe, expect, test } from 'vitest';
import { needTool } from '../../test/tools.ts';
import { CKA_CLASS, CKA_ID, CKA_LABEL, CKA_VALUE, CKF_SERIAL_SESSION, CKO_CERTIFICATE, CKO_PRIVATE_KEY, CKR, Cryptoki, cryptokiTypes, IS_WINDOWS, Pkcs11Error } from './signing.cryptoki.ts';
import { createTestPki, type TestPki } from './testing/pki.ts';
import { createSoftToken } from './testing/softhsm.ts';

describe('cryptoki types follow pkcs11.h on each platform', () => {
  test('Windows: CK_ULONG is 32-bit and the structs are packed to 1 byte', () => {
    const t = cryptokiTypes(true);
    expect(koffi.sizeof(t.CK_ULONG)).toBe(4);
    expect(koffi.sizeof(t.CK_ATTRIBUTE)).toBe(4 + 8 + 4);
    expect(koffi.offsetof(t.CK_ATTRIBUTE, 'pValue')).toBe(4);
    expect(koffi.sizeof(t.CK_MECHANISM)).toBe(16);
    expect(koffi.sizeof(t.CK_C_INITIALIZE_ARGS)).toBe(4 * 8 + 4 + 8);
    expect(koffi.offsetof(t.CK_C_INITIALIZE_ARGS, 'pReserved')).toBe(36);
    // 96 bytes of text, 11 CK_ULONGs, 2 CK_VERSIONs, utcTime[16]
    expect(koffi.sizeof(t.CK_TOKEN_INFO)).toBe(96 + 11 * 4 + 4 + 16);
    // the function pointers follow the 2-byte CK_VERSION without padding
    expect(koffi.offsetof(t.CK_FUNCTION_LIST, 'C_Initialize')).toBe(2);
    expect(koffi.offsetof(t.CK_FUNCTION_LIST, 'C_Sign')).toBe(2 + 43 * 8);
  });

  test.skipIf(IS_WINDOWS || process.arch !== 'x64')('Linux/macOS x64: CK_ULONG is 64-bit with natural alignment', () => {
    const t = cryptokiTypes(false);
    expect(koffi.sizeof(t.CK_ULONG)).toBe(8);
    expect(koffi.sizeof(t.CK_ATTRIBUTE)).toBe(24);
    expect(koffi.sizeof(t.CK_C_INITIALIZE_ARGS)).toBe(48);
    expect(koffi.sizeof(t.CK_TOKEN_INFO)).toBe(208);
    expect(koffi.offsetof(t.CK_FUNCTION_LIST, 'C_Initialize')).toBe(8);
    expect(koffi.offsetof(t.CK_FUNCTION_LIST, 'C_Sign')).toBe(8 + 43 * 8);
  });
});

describe.skipIf(!needTool('softhsm2-util', 'pkcs11-tool'))('the koffi cryptoki binding on SoftHSM2', () => {
  let pki: TestPki;
  let token: { module: string; pin: string };

  beforeAll(async () => {
    pki = await createTestPki();
    token = createSoftToken([{ label: 'leader', id: '01', keyPem: pki.leader.keyPem, certDer: pki.leader.certDer }]);
  });

  test('reads the token, finds the key and its certificate by CKA_ID after login', () => {
    const lib = Cryptoki.open(token.module);
    try {
      const [slot] = lib.slotsWithToken();
      expect(slot).toBeDefined();
      const info = lib.tokenInfo(slot ?? 0);
      expect(info).toMatchObject({ label: 'vanthu', manufacturer: 'SoftHSM project' });
      const session = lib.openSession(slot ?? 0, CKF_SERIAL_SESSION);
      // before login only public objects: the certificate, not the private key
      expect(lib.findObjects(session, [{ type: CKA_CLASS, value: CKO_PRIVATE_KEY }])).toEqual([]);
      const [cert] = lib.findObjects(session, [{ type: CKA_CLASS, value: CKO_CERTIFICATE }, { type: CKA_LABEL, value: 'leader' }]);
      const [value, id] = lib.getAttributes(session, cert ?? 0, [CKA_VALUE, CKA_ID]);
      expect(Buffer.compare(value ?? Buffer.alloc(0), Buffer.from(pki.leader.certDer))).toBe(0);
      expect(id?.toString('hex')).toBe('01');
      lib.login(session, token.pin);
      const keys = lib.findObjects(session, [{ type: CKA_CLASS, value: CKO_PRIVATE_KEY }, { type: CKA_ID, value: Buffer.from('01', 'hex') }]);
      expect(keys).toHaveLength(1);
      // a secret attribute (CKA_VALUE of a private key) comes back as "no value", not as an error
      expect(lib.getAttributes(session, keys[0] ?? 0, [CKA_VALUE, CKA_LABEL]).map((v) => v?.toString('utf8'))).toEqual([undefined, 'leader']);
      lib.logout(session);
      lib.closeSession(session);
    } finally {
      lib.release();
    }
  });

  test('a wrong PIN is CKR_PIN_INCORRECT; the library stays initialized while one user still has it', () => {
    const first = Cryptoki.open(token.module);
    const second = Cryptoki.open(token.module);
    expect(second).toBe(first);
    const slot = first.slotsWithToken()[0] ?? 0;
    const session = first.openSession(slot, CKF_SERIAL_SESSION);
    expect(() => first.login(session, '0000')).toThrow(expect.objectContaining({ code: CKR.PIN_INCORRECT, message: 'C_Login: CKR_PIN_INCORRECT' }));
    first.release();
    expect(first.slotsWithToken()).toContain(slot);
    second.release();
    // the last release finalized it: a call now is refused, not a crash
    const error = (() => {
      try {
        first.slotsWithToken();
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(Pkcs11Error);
    expect((error as Pkcs11Error).code).toBe(CKR.CRYPTOKI_NOT_INITIALIZED);
  });

  test('a file that is not a PKCS#11 library is refused by the loader', () => {
    expect(() => Cryptoki.open('/etc/hostname')).toThrow();
  });
});
