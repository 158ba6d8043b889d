import type { Hono } from 'hono';
import { expect } from 'vitest';
import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/client.ts';
import type { AppEnv } from '../../platform/http/context.ts';
import { makeAgency, makeUnit } from '../../test/factories.ts';
import { signedInClient, type testClient } from '../../test/http.ts';
import { DEMO_SIGNING_PIN } from '../certificates/certificates.service.ts';

export type Client = ReturnType<typeof testClient>;

export type OfficeWorld = Awaited<ReturnType<typeof makeAgencyWithOffice>>;

/** An agency «UBND» whose Văn phòng («VP») drafts; its leader signs and its clerk issues, each signed in. */
export async function makeAgencyWithOffice(app: Hono<AppEnv>, db: Kysely<DB>) {
  const agency = await makeAgency(db, { shortName: 'UBND' });
  const office = await makeUnit(db, agency.id, 'Văn phòng');
  await db.updateTable('unit').set({ shortName: 'VP' }).where('id', '=', office.id).execute();
  const staff = await signedInClient(app, db, { agencyId: agency.id, unitId: office.id, roles: ['staff'] });
  const leader = await signedInClient(app, db, { agencyId: agency.id, roles: ['leader'] });
  const clerk = await signedInClient(app, db, { agencyId: agency.id, roles: ['clerk'] });
  return { agency, office, staff, leader, clerk };
}

/** A Công văn drafted over HTTP (to an external agency unless `recipients` say otherwise); its id. */
export async function draftOverHttp(w: OfficeWorld, body: Record<string, unknown>): Promise<string> {
  const created = await w.staff.client.post('/api/outgoing', {
    typeCode: 'cong_van', signerId: w.leader.user.id, recipients: [{ kind: 'external', agencyCode: '000.00.88.G02', name: 'Cơ quan ngoài' }], ...body,
  });
  expect(created.status).toBe(201);
  return (created.body.data as { id: string }).id;
}

/** The demo sample file, no review, the leader's signature, the clerk's issue; the issued document. */
export async function issueOverHttp(w: OfficeWorld, id: string) {
  expect((await w.staff.client.post(`/api/outgoing/${id}/sample-file`, {})).status).toBe(200);
  expect((await w.staff.client.post(`/api/outgoing/${id}/submit`, { reviewerIds: [] })).status).toBe(200);
  expect((await w.leader.client.post('/api/outgoing/sign', { ids: [id], pin: DEMO_SIGNING_PIN })).body.data).toEqual([expect.objectContaining({ ok: true })]);
  const issued = await w.clerk.client.post(`/api/outgoing/${id}/issue`, {});
  expect(issued.status).toBe(200);
  return issued.body.data as { numberText: string };
}
