import { join } from 'node:path';
import { errorFactory } from '../../../platform/errors.ts';
import { parseCert, splitCerts, type CertInfo } from '../pki/pki.cert.ts';

export const trustUnreadable = errorFactory({ code: 'verify.trust_unreadable', status: 422, message: 'Không đọc được chứng thư số gốc tin cậy' });

/**
 * The certificates a verifier trusts: self-signed certificates become trust anchors; the others are
 * intermediates available for building paths (they are not trusted by themselves).
 */
export type TrustStore = {
  anchors: Map<string, CertInfo>;
  /** Every certificate of the store (anchors and intermediates) by subject DER hex. */
  bySubject: Map<string, CertInfo[]>;
};

/** An empty trust store (verification then ends in NO_CERTIFICATE_CHAIN_FOUND). */
export function emptyTrustStore(): TrustStore {
  return { anchors: new Map(), bySubject: new Map() };
}

/** Adds certificates (DER) to a store in place; `asAnchors` forces them all to be anchors. */
export function addToTrustStore(store: TrustStore, ders: Uint8Array[], asAnchors = false): void {
  for (const der of ders) {
    const cert = parseCert(der);
    if (cert.selfSigned || asAnchors) store.anchors.set(cert.id, cert);
    const list = store.bySubject.get(cert.subjectDer) ?? [];
    if (!list.some((c) => c.id === cert.id)) list.push(cert);
    store.bySubject.set(cert.subjectDer, list);
  }
}

const CERT_EXT = /\.(pem|crt|cer|der)$/i;

/**
 * node:fs through getBuiltinModule, read synchronously (a few small certificate files): the ESM facade
 * of node:fs, and node:fs/promises, load ~35 more built-in modules (FileHandle's readline support, fs
 * watchers…), a few milliseconds of a one-file `vanthu verify`.
 */
const fs = () => process.getBuiltinModule('node:fs');

/**
 * Loads a trust store from PEM/DER files, every .pem/.crt/.cer/.der file of a folder, and PEM texts.
 * The VN government CA roots and the national root CA are added here by administrators; none is built in.
 * Throws verify.trust_unreadable (missing file/folder, or a file without a parsable certificate).
 */
export async function loadTrustStore(options: { files?: string[]; dir?: string; pems?: string[] } = {}): Promise<TrustStore> {
  const store = emptyTrustStore();
  const files = [...(options.files ?? [])];
  if (options.dir) {
    try {
      for (const name of fs().readdirSync(options.dir).sort()) if (CERT_EXT.test(name)) files.push(join(options.dir, name));
    } catch (e) {
      throw trustUnreadable({ dir: options.dir }, { cause: e });
    }
  }
  for (const file of files) {
    try {
      const ders = splitCerts(new Uint8Array(fs().readFileSync(file)));
      if (ders.length === 0) throw new Error('no certificate');
      addToTrustStore(store, ders);
    } catch (e) {
      throw trustUnreadable({ file }, { cause: e, message: `Không đọc được chứng thư số gốc tin cậy: ${file}` });
    }
  }
  for (const pem of options.pems ?? []) {
    try {
      addToTrustStore(store, splitCerts(pem));
    } catch (e) {
      throw trustUnreadable({ pem: pem.slice(0, 40) }, { cause: e });
    }
  }
  return store;
}
