import { sql } from 'kysely';
import type { Db } from '../../platform/db/client.ts';

// SQL/JSON paths over the report the verify job keeps (incoming.jobs.ts: { isAllValid, files: [{ report }] }, each
// file's report an IncomingVerifyReport whose `report` is verifyPdf's TVerifyReport); raw sql: jsonb_path_exists.
const SIGNATURES = '$.files[*].report.report.signatures[*]';
/** A signature failed for a reason of its own, whatever the roots: changed bytes, a broken signature or CMS, a forbidden change. */
const OWN_FAILURE = '@.indication == "TOTAL-FAILED" && (@.subIndication == "HASH_FAILURE" || @.subIndication == "SIG_CRYPTO_FAILURE" || @.subIndication == "FORMAT_FAILURE")';
/** A file's report in a shape older than verifyPdf's (neither a report nor an error): what it rests on is not known. */
const UNKNOWN_SHAPE = '$.files[*].report ? (!(exists(@.report)) && !(exists(@.error)))';
/**
 * A root added can prove a signature not proven for want of trust: one INDETERMINATE (its issuer unknown, its
 * root not trusted…), or one whose timestamp is (the TSA's root not trusted: no proof of the signing time).
 */
const UNPROVEN = `${SIGNATURES} ? (!(${OWN_FAILURE}) && (@.indication == "INDETERMINATE" || exists(@.timestamps[*] ? (@.indication == "INDETERMINATE"))))`;
/**
 * A certificate taken out can undo what rests on it: a signature whose path (chain: signer first, ending at the
 * anchor) holds one of $certs, or whose proven timestamp's TSA path does (timestamps[].chain; a report made before
 * that path was kept has none, and its proven timestamps count as resting on any certificate).
 */
const RESTS_ON = `${SIGNATURES} ? (!(${OWN_FAILURE}) && (@.chain[*].sha256 == $certs[*] || exists(@.timestamps[*] ? (@.indication == "TOTAL-PASSED" && (@.chain[*].sha256 == $certs[*] || !(exists(@.chain)))))))`;
/** Any signature not failed for a reason of its own (a sweep queued before the removed certificates were passed on). */
const TRUST_BOUND = `${SIGNATURES} ? (!(${OWN_FAILURE}))`;

/** What the install's trust store lost or gained: `removed` with the SHA-256 (hex) of the certificates taken out, when known. */
export type TrustChange = { kind: 'added' } | { kind: 'removed'; certs?: readonly string[] };

export const incomingRecheckRepo = {
  /**
   * Marks for a new signature check (verify_status 'pending') the next `limit` checked documents after `after`
   * whose outcome the trust change can alter (UNPROVEN when a root was added; RESTS_ON — TRUST_BOUND without the
   * certificates — when one was taken out; a report of an unknown shape either way); returns their ids in id order.
   * A document unsigned, unreadable, or whose every signature failed for a reason of its own is left as it is;
   * one already pending is left too: its job is queued.
   */
  markTrustDependent: async (db: Db, after: string | undefined, limit: number, change: TrustChange) => {
    const path = change.kind === 'added' ? UNPROVEN : change.certs ? RESTS_ON : TRUST_BOUND;
    const vars = JSON.stringify({ certs: change.kind === 'removed' ? change.certs ?? [] : [] });
    let stale = db.selectFrom('incomingDocument').select('id').where('verifyStatus', '=', 'done')
      .where(sql<boolean>`(jsonb_path_exists(verify_report, ${path}::jsonpath, ${vars}::jsonb) or jsonb_path_exists(verify_report, ${UNKNOWN_SHAPE}::jsonpath))`)
      .orderBy('id').limit(limit);
    if (after) stale = stale.where('id', '>', after);
    const rows = await db.updateTable('incomingDocument').set({ verifyStatus: 'pending' }).where('id', 'in', stale).where('verifyStatus', '=', 'done').returning('id').execute();
    return rows.map((r) => r.id).sort();
  },
};
