/**
 * A throwaway SoftHSM2 token for tests: a private SOFTHSM2_CONF and token directory, one token
 * with the given keys (PKCS#8 PEM, imported by softhsm2-util) and certificates (written by
 * pkcs11-tool from OpenSC), each key and its certificate sharing a CKA_ID.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Debian's SoftHSM2 PKCS#11 module. */
export const SOFTHSM_MODULE = '/usr/lib/softhsm/libsofthsm2.so';

/** One key to put on the token. */
export type TokenKey = { label: string; id: string; keyPem: string; certDer: Uint8Array; extraCerts?: Uint8Array[] };

/** Creates the token; sets process.env.SOFTHSM2_CONF (read by the module at C_Initialize). */
export function createSoftToken(keys: TokenKey[], pin = '1234'): { module: string; pin: string; conf: string } {
  const dir = mkdtempSync(join(tmpdir(), 'vanthu-softhsm-'));
  const conf = join(dir, 'softhsm2.conf');
  execFileSync('mkdir', ['-p', join(dir, 'tokens')]);
  writeFileSync(conf, `directories.tokendir = ${join(dir, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\n`);
  const env = { ...process.env, SOFTHSM2_CONF: conf };
  execFileSync('softhsm2-util', ['--init-token', '--free', '--label', 'vanthu', '--pin', pin, '--so-pin', '5678'], { env, stdio: 'ignore' });
  let extra = 0;
  for (const key of keys) {
    const keyPath = join(dir, `${key.id}.pem`);
    writeFileSync(keyPath, key.keyPem);
    execFileSync('softhsm2-util', ['--import', keyPath, '--token', 'vanthu', '--label', key.label, '--id', key.id, '--pin', pin], { env, stdio: 'ignore' });
    const certs = [{ der: key.certDer, id: key.id, label: key.label }, ...(key.extraCerts ?? []).map((der) => ({ der, id: `ff${String(extra++).padStart(2, '0')}`, label: `ca${extra}` }))];
    for (const cert of certs) {
      const certPath = join(dir, `${cert.id}.der`);
      writeFileSync(certPath, cert.der);
      execFileSync('pkcs11-tool', ['--module', SOFTHSM_MODULE, '--login', '--pin', pin, '--token-label', 'vanthu', '--write-object', certPath,
        '--type', 'cert', '--id', cert.id, '--label', cert.label], { env, stdio: 'ignore' });
    }
  }
  process.env.SOFTHSM2_CONF = conf;
  return { module: SOFTHSM_MODULE, pin, conf };
}
