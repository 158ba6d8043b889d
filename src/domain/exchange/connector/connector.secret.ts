import type { Db } from '../../../platform/db/client.ts';
import { isSealedSecret, openSecret, sealSecret } from '../../certificates/certificates.secrets.ts';
import { exchangeBadSecret, exchangeSecretUnreadable } from './connector.errors.ts';
import { connectorRepo } from './connector.repository.ts';

/**
 * The connector's copy of its axis secret at rest. The SDK protocol HMACs with the secret itself, so it
 * cannot be hashed: it is stored encrypted with the certificates' secrets helper (AES-256-GCM, key file
 * DATA_DIR/keys/secret.key — the same mechanism and key as the seal's PKCS#12 password and the axis's
 * system secrets), and decrypted only to build the axis client.
 */

/** Encrypts a secret an admin or operator gives. Throws exchange.bad_secret for a value shaped like an encrypted one (a stored value must never be ambiguous). */
export async function sealEndpointSecret(dataDir: string, clear: string): Promise<string> {
  if (isSealedSecret(clear)) throw exchangeBadSecret();
  return sealSecret(dataDir, clear);
}

/**
 * The endpoint row with its secret decrypted (a row still in clear, written before secrets were
 * encrypted, is used as it is). Throws exchange.secret_unreadable when the key file is not the one the
 * secret was encrypted with (replaced or lost): the admin must enter the secret again.
 */
export async function openEndpoint<T extends { agencyId: string; secret: string }>(dataDir: string, row: T): Promise<T> {
  if (!isSealedSecret(row.secret)) return row;
  try {
    return { ...row, secret: await openSecret(dataDir, row.secret) };
  } catch (error) {
    throw exchangeSecretUnreadable({ agencyId: row.agencyId, reason: error instanceof Error ? error.message : String(error) });
  }
}

/** An agency's endpoint with its secret decrypted, or undefined. Throws exchange.secret_unreadable. */
export async function findOpenEndpoint(deps: { db: Db; config: { dataDir: string } }, agencyId: string) {
  const row = await connectorRepo.findEndpoint(deps.db, agencyId);
  return row && openEndpoint(deps.config.dataDir, row);
}

/**
 * Encrypts the endpoint secrets still stored in clear (written before secrets were encrypted); run when
 * the server starts. A row changed meanwhile is left to the next start. Returns how many were converted.
 */
export async function sealClearEndpointSecrets({ db, dataDir }: { db: Db; dataDir: string }): Promise<number> {
  let converted = 0;
  for (const row of await connectorRepo.listEndpoints(db, false)) {
    if (isSealedSecret(row.secret)) continue;
    converted += await connectorRepo.replaceEndpointSecret(db, { agencyId: row.agencyId, from: row.secret, to: await sealSecret(dataDir, row.secret) });
  }
  return converted;
}
