import type { AppDeps } from '../../platform/deps.ts';
import { isAppError } from '../../platform/errors.ts';
import { ensureDemoCertificates } from '../certificates/certificates.service.ts';
import { DEMO_AGENCY_CODES, loadDemoCtx, type DemoCtx } from './demo.context.ts';
import { demoRepo } from './demo.repository.ts';
import { seedCommuneIncoming, seedProvinceIncoming } from './demo.incoming.ts';
import { seedCommuneOutgoing, seedProvinceOutgoing } from './demo.outgoing.ts';

/** What the document seed did: documents walked through the flow, and the stories that failed (the rest still ran). */
export type DemoDocumentsReport = {
  documents: number; failures: { story: string; code: string; message: string }[]; ms: number; storyMs: Record<string, number>;
  /** Why nothing was seeded, when the install is not a fresh demo. */
  skipped?: string;
};

/** A part of the seed; when a prerequisite fails, the stories after it are left out. */
type Story = { name: string; run: (c: DemoCtx) => Promise<number>; isPrerequisite?: boolean };

/**
 * Fills the new demo province's incoming post, through the real services only (each opens its own
 * transaction, so this runs after seedDemo's): at the People's Committee, paper post at every stage of
 * ND 30's incoming flow (chờ vào sổ, chờ chỉ đạo, assigned to `chuyenvien` with one deadline passed and
 * one due tomorrow, done); at the commune, a letter assigned to its staff member. A failed story is
 * reported, never thrown: the demo stays usable with what was seeded.
 */
export function seedDemoDocuments(deps: AppDeps, now = new Date()): Promise<DemoDocumentsReport> {
  return runStories(deps, now, [
    { name: 'province incoming', run: seedProvinceIncoming },
    { name: 'commune incoming', run: seedCommuneIncoming },
  ]);
}

/**
 * The demo's outgoing documents: the People's Committee's draft, one in review and one awaiting the
 * Chairman's signature; then, signed and issued, the commune's report to the province (it arrives in the
 * province clerk's intake, prefilled) and a công văn of the province to the Sở Nội vụ and the commune (it
 * arrives in theirs). Signing and issuing take the demo CA's certificates, made here (RSA keys, openssl):
 * most of the seed's time, which the server spends once it listens. Without the certificates (no
 * openssl) the issued documents are left out, reported.
 */
export function seedDemoOutgoingDocuments(deps: AppDeps, now = new Date()): Promise<DemoDocumentsReport> {
  return runStories(deps, now, [
    { name: 'province outgoing', run: (c) => seedProvinceOutgoing(c, ['draft', 'in_review', 'awaiting_signature']) },
    { name: 'certificates', run: async (c) => {
      for (const key of ['tinh', 'xa'] as const) await ensureDemoCertificates(deps, c.agency(key).id);
      return 0;
    }, isPrerequisite: true },
    { name: 'commune report to the province', run: seedCommuneOutgoing },
    { name: 'province issued', run: (c) => seedProvinceOutgoing(c, ['issued']) },
  ]);
}

/** Runs the stories in order, each on its own: a failed one is reported and the next runs, unless it was a prerequisite. */
async function runStories(deps: AppDeps, now: Date, stories: readonly Story[]): Promise<DemoDocumentsReport> {
  const started = performance.now();
  const report: DemoDocumentsReport = { documents: 0, failures: [], ms: 0, storyMs: {} };
  const fail = (story: string, error: unknown) =>
    report.failures.push({ story, code: isAppError(error) ? error.code : 'internal.error', message: error instanceof Error ? error.message : String(error) });
  try {
    // Only on a fresh demo (npm start on a new machine): an install that has its own agencies and runs in
    // demo mode for its demo signing (e.g. the exchange's multi-process test) gets no demo workload.
    if (await demoRepo.hasOtherAgencies(deps.db, Object.values(DEMO_AGENCY_CODES))) return { ...report, skipped: 'the install has agencies of its own' };
    const c = await loadDemoCtx(deps, now);
    for (const story of stories) {
      const t0 = performance.now();
      try {
        report.documents += await story.run(c);
      } catch (error) {
        fail(story.name, error);
        if (story.isPrerequisite) break;
      } finally {
        report.storyMs[story.name] = Math.round(performance.now() - t0);
      }
    }
  } catch (error) {
    fail('load', error);
  }
  return { ...report, ms: performance.now() - started };
}
