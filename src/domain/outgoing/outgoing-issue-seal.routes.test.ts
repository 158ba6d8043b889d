import { describe, expect, test } from 'vitest';
import { useTestApp } from '../../test/app.ts';
import { DEMO_SIGNING_PIN } from '../certificates/certificates.service.ts';
import { draftOverHttp, makeAgencyWithOffice, type OfficeWorld } from './outgoing.testing.ts';

// Demo mode: the leader's signature gives the agency its seal; its end is then moved, as time would move it.
const t = useTestApp({ demo: true });
const DAY = 86_400_000;

/** A document the leader signed, waiting for the clerk to issue it; its id. */
async function signedDocument(w: OfficeWorld): Promise<string> {
  const id = await draftOverHttp(w, { subject: 'V/v chứng thư số cơ quan sắp hết hạn', signerPosition: 'Chủ tịch' });
  expect((await w.staff.client.post(`/api/outgoing/${id}/sample-file`, {})).status).toBe(200);
  expect((await w.staff.client.post(`/api/outgoing/${id}/submit`, { reviewerIds: [] })).status).toBe(200);
  expect((await w.leader.client.post('/api/outgoing/sign', { ids: [id], pin: DEMO_SIGNING_PIN })).body.data).toEqual([expect.objectContaining({ ok: true })]);
  return id;
}

/** Changes the agency's active seal, as time (its dates) or an admin taking it out (isActive) would. */
const changeSeal = (w: OfficeWorld, change: { notBefore?: Date; notAfter?: Date; isActive?: boolean }) =>
  t.db.updateTable('signingCertificate').set(change).where('agencyId', '=', w.agency.id).where('purpose', '=', 'seal').where('isActive', '=', true).execute();
const endSealAt = (w: OfficeWorld, notAfter: Date) => changeSeal(w, { notAfter });

describe('the end of the agency seal, shown to the clerk before issuing (GET /api/outgoing/:id/issue-preview)', () => {
  test('the clerk is told the seal ends in 12 days; the drafter and the leader, who may not issue, are refused the preview', async () => {
    const w = await makeAgencyWithOffice(t.app, t.db);
    const id = await signedDocument(w);
    const notAfter = new Date(Date.now() + 12 * DAY);
    await endSealAt(w, notAfter);
    const preview = await w.clerk.client.get(`/api/outgoing/${id}/issue-preview`);
    expect(preview.status).toBe(200);
    expect(preview.body.data).toMatchObject({ seal: { notAfter: notAfter.toISOString(), isExpired: false, daysLeft: 12, isNotYetValid: false }, sealWillBeMade: false });
    for (const other of [w.staff, w.leader]) {
      const refused = await other.client.get(`/api/outgoing/${id}/issue-preview`);
      expect(refused.status).toBe(403);
      expect(refused.body.error).toMatchObject({ code: 'forbidden' });
      expect(refused.body).not.toHaveProperty('data');
    }
  }, 120_000);

  test('a seal that ended 2 days ago shows as expired, and issuing is then refused with certificates.expired', async () => {
    const w = await makeAgencyWithOffice(t.app, t.db);
    const id = await signedDocument(w);
    await endSealAt(w, new Date(Date.now() - 2 * DAY));
    const preview = await w.clerk.client.get(`/api/outgoing/${id}/issue-preview`);
    expect((preview.body.data as { seal: unknown }).seal).toMatchObject({ isExpired: true, daysLeft: -2 });
    const refused = await w.clerk.client.post(`/api/outgoing/${id}/issue`, {});
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'certificates.expired', message: expect.stringContaining('không dùng để phát hành văn bản được') });
    expect(((await w.clerk.client.get(`/api/outgoing/${id}`)).body.data as { status: string }).status).toBe('signed');
  }, 120_000);

  test('a seal valid only from the day after tomorrow shows as not yet valid, with its start, and issuing is refused with certificates.expired', async () => {
    const w = await makeAgencyWithOffice(t.app, t.db);
    const id = await signedDocument(w);
    const notBefore = new Date(Date.now() + 2 * DAY);
    await changeSeal(w, { notBefore });
    const preview = await w.clerk.client.get(`/api/outgoing/${id}/issue-preview`);
    expect(preview.body.data).toMatchObject({ seal: { notBefore: notBefore.toISOString(), isNotYetValid: true, isExpired: false }, sealWillBeMade: false });
    const refused = await w.clerk.client.post(`/api/outgoing/${id}/issue`, {});
    expect(refused.body.error).toMatchObject({ code: 'certificates.expired', message: expect.stringContaining('chỉ có hiệu lực từ ngày') });
  }, 120_000);

  test('demo mode, no seal: the preview says issuing will make the demo one, and the clerk issues; the drafter is still refused the preview', async () => {
    const w = await makeAgencyWithOffice(t.app, t.db);
    const id = await signedDocument(w);
    await changeSeal(w, { isActive: false });
    const preview = await w.clerk.client.get(`/api/outgoing/${id}/issue-preview`);
    expect(preview.body.data).toMatchObject({ seal: null, sealWillBeMade: true });
    const refused = await w.staff.client.get(`/api/outgoing/${id}/issue-preview`);
    expect(refused.status).toBe(403);
    expect(refused.body).not.toHaveProperty('data');
    const issued = await w.clerk.client.post(`/api/outgoing/${id}/issue`, {});
    expect(issued.status).toBe(200);
    expect(issued.body.data).toMatchObject({ status: 'issued' });
  }, 120_000);
});
