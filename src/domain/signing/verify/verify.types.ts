import { z } from 'zod';

/** ETSI EN 319 102-1 main indications. */
export const ZIndication = z.enum(['TOTAL-PASSED', 'TOTAL-FAILED', 'INDETERMINATE']).describe('ETSI EN 319 102-1 main indication');
export type TIndication = z.infer<typeof ZIndication>;

/** ETSI EN 319 102-1 sub-indications used by this verifier. */
export const ZSubIndication = z.enum([
  'FORMAT_FAILURE', 'HASH_FAILURE', 'SIG_CRYPTO_FAILURE', 'REVOKED', 'EXPIRED', 'NOT_YET_VALID',
  'SIG_CONSTRAINTS_FAILURE', 'CHAIN_CONSTRAINTS_FAILURE', 'CERTIFICATE_CHAIN_GENERAL_FAILURE', 'CRYPTO_CONSTRAINTS_FAILURE',
  'OUT_OF_BOUNDS_NO_POE', 'OUT_OF_BOUNDS_NOT_REVOKED', 'REVOKED_NO_POE', 'REVOKED_CA_NO_POE', 'TRY_LATER',
  'NO_CERTIFICATE_CHAIN_FOUND', 'NO_SIGNING_CERTIFICATE_FOUND', 'SIGNED_DATA_NOT_FOUND',
]).describe('ETSI EN 319 102-1 sub-indication');
export type TSubIndication = z.infer<typeof ZSubIndication>;

export const ZCheckStatus = z.enum(['passed', 'failed', 'unknown', 'not-applicable']).describe('Outcome of one check');

/** One named check with its outcome and a Vietnamese note. */
export const ZCheck = z.object({
  name: z.string().describe('Check id, e.g. integrity, crypto, signing-certificate, chain, key-usage, validity, revocation, timestamp, modifications'),
  status: ZCheckStatus,
  message: z.string().describe('Vietnamese explanation'),
}).strict();
export type TCheck = z.infer<typeof ZCheck>;

export const ZCertSummary = z.object({
  subject: z.string().describe('Subject DN, most specific first'),
  issuer: z.string().describe('Issuer DN'),
  serialHex: z.string().describe('Serial number, upper-case hex'),
  notBefore: z.iso.datetime().describe('Start of validity'),
  notAfter: z.iso.datetime().describe('End of validity'),
  sha256: z.string().describe('SHA-256 of the certificate DER, hex'),
}).strict();
export type TCertSummary = z.infer<typeof ZCertSummary>;

/**
 * The certificate a chain stopped at for want of trust — what an administrator adds to the trust store: the
 * issuer no pool, store or issuer's address gave (issuer-not-found), or a root that is not trusted (untrusted-root).
 */
export const ZMissingIssuer = z.object({
  reason: z.enum(['issuer-not-found', 'untrusted-root']).describe('The issuer was not found at all, or it is a root that is not in the trust store'),
  name: z.string().describe('Its DN (for issuer-not-found, as the certificate it issued writes it)'),
  commonName: z.string().optional().describe('CN of that name'),
  organisation: z.string().optional().describe('O of that name'),
  sha256: z.string().optional().describe('SHA-256 of the certificate, hex: only for untrusted-root (the certificate was at hand)'),
  caIssuers: z.array(z.object({
    url: z.string().describe('An issuer address (AIA caIssuers) of the last certificate of the path'),
    problem: z.string().describe('Why it gave no usable certificate (Vietnamese)'),
  }).strict()).describe('The issuer addresses tried or left untried, each with why it gave nothing; empty when the certificate names none'),
}).strict();
export type TMissingIssuer = z.infer<typeof ZMissingIssuer>;

export const ZTimestampReport = z.object({
  kind: z.enum(['signature', 'document']).describe('Signature timestamp (unsigned attribute) or document timestamp'),
  indication: ZIndication,
  subIndication: ZSubIndication.optional(),
  genTime: z.iso.datetime().optional().describe('Time asserted by the TSA'),
  tsa: ZCertSummary.optional().describe('The TSA certificate'),
  hashAlgorithm: z.string().optional().describe('Imprint hash algorithm (node name)'),
  chain: z.array(ZCertSummary).optional().describe('The TSA certificate\'s path, TSA first, ending at the trust anchor when one was found (absent in reports made before it was kept)'),
  missingIssuer: ZMissingIssuer.optional().describe('When the TSA\'s path found no trust anchor: the certificate it lacks'),
  message: z.string().describe('Vietnamese summary'),
}).strict();
export type TTimestampReport = z.infer<typeof ZTimestampReport>;

export const ZRevisionChange = z.object({
  revision: z.number().int().describe('Revision index (0 = original file)'),
  kind: z.enum(['signature', 'document-timestamp', 'dss', 'form-fill', 'annotations', 'metadata', 'forbidden']).describe('Dominant kind of change'),
  permitted: z.boolean().describe('Whether the change is allowed after the earlier signatures'),
  findings: z.array(z.string()).describe('Vietnamese description of each notable change'),
}).strict();
export type TRevisionChange = z.infer<typeof ZRevisionChange>;

export const ZSignatureReport = z.object({
  index: z.number().int().describe('Order of the signature in the file (0-based, by revision)'),
  fieldName: z.string().describe('AcroForm field name'),
  kind: z.enum(['signature', 'document-timestamp']).describe('An approval/certification signature or a document timestamp'),
  subFilter: z.string().optional().describe('/SubFilter, e.g. ETSI.CAdES.detached'),
  indication: ZIndication,
  subIndication: ZSubIndication.optional(),
  signerName: z.string().optional().describe('CN of the signing certificate'),
  organisation: z.string().optional().describe('O of the signing certificate'),
  certificate: ZCertSummary.optional(),
  chain: z.array(ZCertSummary).describe('Certificate path, signer first, ending at the trust anchor when one was found'),
  missingIssuer: ZMissingIssuer.optional().describe('When the path found no trust anchor: the certificate it lacks'),
  signingTime: z.iso.datetime().optional().describe('Best known signing time'),
  signingTimeProof: z.enum(['timestamp', 'document-timestamp', 'claimed', 'none']).describe('What proves the signing time'),
  level: z.enum(['none', 'B-B', 'B-T', 'B-LT', 'B-LTA']).describe('PAdES baseline level reached'),
  revision: z.number().int().describe('Index of the revision this signature covers'),
  coversWholeDocument: z.boolean().describe('True when nothing was appended after this signature'),
  digestAlgorithm: z.string().optional(),
  signatureAlgorithm: z.string().optional(),
  timestamps: z.array(ZTimestampReport),
  checks: z.array(ZCheck),
  summary: z.string().describe('Short human summary in Vietnamese'),
}).strict();
export type TSignatureReport = z.infer<typeof ZSignatureReport>;

export const ZVerifyReport = z.object({
  file: z.string().optional().describe('File name when known'),
  indication: ZIndication.describe('Worst indication over all signatures (TOTAL-FAILED > INDETERMINATE > TOTAL-PASSED)'),
  subIndication: ZSubIndication.optional(),
  signatureCount: z.number().int(),
  revisionCount: z.number().int(),
  signatures: z.array(ZSignatureReport),
  changes: z.array(ZRevisionChange).describe('Classification of every revision after the first signature'),
  validationTime: z.iso.datetime().describe('Time at which the validation was made'),
  offline: z.boolean().describe('True when no network was used'),
  summary: z.string().describe('Short human summary in Vietnamese'),
}).strict();
export type TVerifyReport = z.infer<typeof ZVerifyReport>;
