import type { AppDeps } from '../../platform/deps.ts';
import { isAppError } from '../../platform/errors.ts';
import { ensureDemoCertificates } from '../certificates/certificates.service.ts';
import { loadDemoCtx, type DemoCtx } from './demo.context.ts';
import { seedCommuneIncoming, seedProvinceIncoming } from './demo.incoming.ts';
import { seedCommuneOutgoing, seedProvinceOutgoing } from './demo.outgoing.ts';

/** What the document seed did: documents walked through the flow, and the stories that failed (the rest still ran). */
export type DemoDocumentsReport = { documents: number; failures: { story: string; code: string; message: string }[]; ms: number; storyMs: Record<string, number> };

type Story = { name: string; run: (c: DemoCtx) => Promise<number> };

/**
 * Fills the new demo province with work in progress, through the real services only (each opens its own
 * transaction, so this runs after seedDemo's): at the People's Committee, paper post at every stage of
 * ND 30's incoming flow (chờ vào sổ, chờ chỉ đạo, assigned to `chuyenvien` with one deadline passed and
 * one due tomorrow, done) and outgoing documents from draft to issued; the commune's report issued to the
 * province and a letter assigned to its staff member. Issuing needs the demo CA's certificates (openssl):
 * without them the issued documents are left out. A failed story is reported, never thrown: the demo
 * stays usable with what was seeded.
 */
export async function seedDemoDocuments(deps: AppDeps, now = new Date()): Promise<DemoDocumentsReport> {
  const started = performance.now();
  const report: DemoDocumentsReport = { documents: 0, failures: [], ms: 0, storyMs: {} };
  const attempt = async (story: Story, c: DemoCtx): Promise<boolean> => {
    const t0 = performance.now();
    try {
      report.documents += await story.run(c);
      return true;
    } catch (error) {
      report.failures.push({ story: story.name, code: isAppError(error) ? error.code : 'internal.error', message: error instanceof Error ? error.message : String(error) });
      return false;
    } finally {
      report.storyMs[story.name] = Math.round(performance.now() - t0);
    }
  };
  let c: DemoCtx;
  try {
    c = await loadDemoCtx(deps, now);
  } catch (error) {
    report.failures.push({ story: 'load', code: 'internal.error', message: error instanceof Error ? error.message : String(error) });
    return { ...report, ms: performance.now() - started };
  }
  const canIssue = await attempt({ name: 'certificates', run: async (ctx) => {
    for (const key of ['tinh', 'xa'] as const) await ensureDemoCertificates(deps, ctx.agency(key).id);
    return 0;
  } }, c);
  await attempt({ name: 'province incoming', run: seedProvinceIncoming }, c);
  if (canIssue) await attempt({ name: 'commune report to the province', run: seedCommuneOutgoing }, c);
  await attempt({ name: 'province outgoing', run: (ctx) => seedProvinceOutgoing(ctx, { withIssue: canIssue }) }, c);
  await attempt({ name: 'commune incoming', run: seedCommuneIncoming }, c);
  return { ...report, ms: performance.now() - started };
}
