import type { Kysely } from 'kysely';
import type { DB } from '../../../platform/db/client.ts';
import type { AppDeps } from '../../../platform/deps.ts';
import { makeAgency, makeDeps, makeUser } from '../../../test/factories.ts';
import { DEMO_SIGNING_PIN, ensureDemoCertificates } from '../../certificates/certificates.service.ts';
import { storeUpload } from '../../files/files.service.ts';
import { createDraft } from '../../outgoing/outgoing.service.ts';
import { uploadVersion } from '../../outgoing/outgoing-files.service.ts';
import { submitForReview } from '../../outgoing/outgoing-review.service.ts';
import { signApproval } from '../../outgoing/outgoing-signing.service.ts';
import { issueOutgoing } from '../../outgoing/outgoing-issue.service.ts';
import { buildSampleDraft } from '../../outgoing/outgoing.sample.ts';
import type { Config } from '../../../platform/config.ts';
import type { TRecipientInput } from '../../outgoing/outgoing.schemas.ts';
import { addSystem } from '../axis/axis.directory.ts';
import type { RunningAxis } from '../axis/axis.server.ts';
import { configureEndpointByCode } from './connector.service.ts';

/** Test helpers: one vanthu install (agency, clerk, leader, staff, demo seal) on a database, and a real issued document. */

export type Install = Awaited<ReturnType<typeof makeInstall>>;

/** An agency with a valid code, its people and its demo seal certificate, on `db` (blobs under `config.dataDir`). */
export async function makeInstall(db: Kysely<DB>, o: { code?: string; name?: string; config?: Partial<Config>; deps?: AppDeps } = {}) {
  const deps = o.deps ?? await makeDeps(db, { demo: true, ...o.config });
  const agency = await makeAgency(db, { ...(o.code && { code: o.code }), name: o.name ?? `Sở Thử nghiệm ${Math.random().toString(36).slice(2, 6)}`, shortName: 'STN' });
  const staff = await makeUser(db, { agencyId: agency.id, roles: ['staff'] });
  const leader = await makeUser(db, { agencyId: agency.id, roles: ['leader'] });
  const clerk = await makeUser(db, { agencyId: agency.id, roles: ['clerk'] });
  const admin = await makeUser(db, { agencyId: agency.id, roles: ['admin'] });
  await ensureDemoCertificates(deps, agency.id);
  return { deps, db, agency, staff, leader, clerk, admin };
}

/** Registers the install's agency as a system of the axis with `secret` and points its connector at the axis. */
export async function joinAxis(axis: RunningAxis, install: Install, secret: string): Promise<void> {
  await addSystem({ db: axis.deps.db, dataDir: axis.deps.config.dataDir, systemId: install.agency.code, name: install.agency.name, secret, kind: 'agency' });
  await configureEndpointByCode(install.deps, { agencyCode: install.agency.code, endpoint: axis.endpoint, systemId: install.agency.code, secret, isEnabled: true });
}

let samplePdf: Promise<Uint8Array> | undefined;

/** Drafts, approves (demo PIN) and issues a Công văn to external agency codes: the real issue action writes the outbox rows. */
export function issueExternal(install: Install, to: { code: string; name: string }[], subject = 'V/v thử nghiệm liên thông văn bản', pdf?: Uint8Array): Promise<{ id: string; number: number | null; notation: string | null }> {
  return issueTo(install, to.map((r) => ({ kind: 'external' as const, agencyCode: r.code, name: r.name })), subject, pdf);
}

/**
 * Drafts, approves (demo PIN) and issues a Công văn to any recipients (agencies on this install, external
 * codes); `pdf` replaces the sample page; `replacesId` makes it the replacement of an issued document.
 */
export async function issueTo(install: Install, recipients: TRecipientInput[], subject = 'V/v thử nghiệm liên thông văn bản', pdf?: Uint8Array, replacesId: string | null = null): Promise<{ id: string; number: number | null; notation: string | null }> {
  const { db, deps } = install;
  const draft = await createDraft({ db, actor: install.staff.actor, body: {
    typeCode: 'cong_van', subject, urgency: 'khan', secrecy: 'thuong', signerId: install.leader.user.id, signerCompetence: 'KT', signerPosition: 'Phó Giám đốc',
    recipients, recipientsText: '- Như trên;\n- Lưu: VT.', archiveNote: 'VT', copies: 1,
    dueDate: null, note: '', participantIds: [], replacesId,
  } });
  samplePdf ??= buildSampleDraft({ agencyName: install.agency.name, notation: 'STN-VP', typeName: null, subject, body: ['Thử nghiệm liên thông.'], recipients: ['Như trên'], competence: 'KT', position: 'Giám đốc', signerName: install.leader.user.fullName });
  const main = await storeUpload(deps, { source: pdf ?? await samplePdf, fileName: 'cong-van.pdf' });
  await uploadVersion({ db, deps, actor: install.staff.actor, id: draft.id, main, appendices: [] });
  await submitForReview({ db, actor: install.staff.actor, id: draft.id, reviewerIds: [] });
  const [signed] = await signApproval({ db, deps, actor: install.leader.actor, ids: [draft.id], pin: DEMO_SIGNING_PIN });
  if (!signed?.ok) throw new Error(`approval failed: ${JSON.stringify(signed)}`);
  const { doc } = await issueOutgoing({ db, deps, actor: install.clerk.actor, id: draft.id });
  return { id: doc.id, number: doc.number, notation: doc.notation };
}
