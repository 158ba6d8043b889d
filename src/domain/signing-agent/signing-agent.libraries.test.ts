import { beforeAll, describe, expect, test } from 'vitest';
import { needTool } from '../../test/tools.ts';
import { createTestPki } from '../signing/testing/pki.ts';
import { createSoftToken, SOFTHSM_MODULE } from '../signing/testing/softhsm.ts';
import { findTokenLibrary, libraryHasToken, tokenLibraryCandidates } from './signing-agent.libraries.ts';

describe('the token libraries the agent looks for without --pkcs11', () => {
  test('on Windows: the known CA DLLs, by full path under %SystemRoot%\\System32; elsewhere none', () => {
    const candidates = tokenLibraryCandidates('win32', { SystemRoot: 'D:\\WIN' });
    expect(candidates).toContain('D:\\WIN\\System32\\vnpt-ca_csp11.dll');
    expect(candidates).toContain('D:\\WIN\\System32\\viettel-ca_v6.dll');
    expect(candidates).toContain('D:\\WIN\\System32\\eTPKCS11.dll');
    expect(candidates.every((c) => c.startsWith('D:\\WIN\\System32\\'))).toBe(true);
    expect(tokenLibraryCandidates('linux', {})).toEqual([]);
  });

  test('the first installed library is taken when none has a token; nothing installed gives undefined', () => {
    const noToken = () => false;
    expect(findTokenLibrary(['/nonexistent/a.dll', '/etc/hostname', SOFTHSM_MODULE], noToken)).toEqual({ path: '/etc/hostname', token: false });
    expect(findTokenLibrary(['/nonexistent/a.dll'], noToken)).toBeUndefined();
  });
});

describe.skipIf(!needTool('softhsm2-util', 'pkcs11-tool'))('finding the library with a token on SoftHSM2', () => {
  beforeAll(async () => {
    const pki = await createTestPki();
    createSoftToken([{ label: 'leader', id: '01', keyPem: pki.leader.keyPem, certDer: pki.leader.certDer }]);
  });

  test('a library with a token plugged in wins over an installed file that is not a PKCS#11 library', () => {
    expect(libraryHasToken('/etc/hostname')).toBe(false);
    expect(libraryHasToken(SOFTHSM_MODULE)).toBe(true);
    expect(findTokenLibrary(['/nonexistent/a.dll', '/etc/hostname', SOFTHSM_MODULE])).toEqual({ path: SOFTHSM_MODULE, token: true });
  });
});
