/**
 * Where the agent looks for the token's PKCS#11 library when `--pkcs11` is not given (Windows only):
 * the DLLs the Vietnamese CAs' token software installs into %SystemRoot%\System32, as named by their
 * installers and by the signing plug-ins that load them. Looked up by full path (never through the DLL
 * search path, which would include the current folder). A library with a token plugged in wins.
 */
import { existsSync } from 'node:fs';
import { win32 } from 'node:path';
import { Cryptoki } from '../signing/signing.cryptoki.ts';

/** Known token libraries, most common first. Only names we are sure of; anything else needs --pkcs11. */
export const WINDOWS_TOKEN_LIBRARIES: { vendor: string; files: string[] }[] = [
  { vendor: 'VNPT-CA', files: ['vnpt-ca_csp11.dll', 'vnpt-ca_v34.dll', 'vnptca_p11_v6.dll'] },
  { vendor: 'Viettel-CA', files: ['viettel-ca_v6.dll', 'viettel-ca_v5.dll', 'viettel-ca_v4.dll', 'viettel-ca.dll'] },
  { vendor: 'BKAV-CA', files: ['BkavCA.dll'] },
  { vendor: 'FPT-CA', files: ['fpt-ca.dll'] },
  { vendor: 'ePass2003 (Feitian)', files: ['ShuttleCsp11_3003.dll', 'eps2003csp11.dll'] },
  { vendor: 'SafeNet eToken', files: ['eTPKCS11.dll'] },
];

/** The full paths to try on this computer (none outside Windows: there the library must be given). */
export function tokenLibraryCandidates(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string[] {
  if (platform !== 'win32') return [];
  const system32 = win32.join(env.SystemRoot ?? env.windir ?? 'C:\\Windows', 'System32');
  return WINDOWS_TOKEN_LIBRARIES.flatMap((l) => l.files.map((f) => win32.join(system32, f)));
}

/** Whether the library loads and has a token in one of its slots (false for a file that is not a PKCS#11 library). */
export function libraryHasToken(path: string): boolean {
  let lib: Cryptoki;
  try {
    lib = Cryptoki.open(path);
  } catch {
    return false;
  }
  try {
    return lib.slotsWithToken().length > 0;
  } catch {
    return false;
  } finally {
    lib.release();
  }
}

/**
 * The first existing candidate with a token plugged in; else the first existing one (`token: false`:
 * the leader plugs the token in later); undefined when none is installed.
 */
export function findTokenLibrary(candidates: string[], hasToken: (path: string) => boolean = libraryHasToken): { path: string; token: boolean } | undefined {
  const installed = candidates.filter((p) => existsSync(p));
  const withToken = installed.find((p) => hasToken(p));
  if (withToken) return { path: withToken, token: true };
  return installed[0] === undefined ? undefined : { path: installed[0], token: false };
}
