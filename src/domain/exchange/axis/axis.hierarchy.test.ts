import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDb } from '../../../test/db.ts';
import { parseEdxml } from '../edxml/edxml.parse.ts';
import { createAxisClient, type AxisClient } from './axis.client.ts';
import { addSystem } from './axis.directory.ts';
import { axisRepo } from './axis.repository.ts';
import type { RunningAxis } from './axis.server.ts';
import { makePackage, makeStatusPackage, startTestAxis } from './axis.testing.ts';

/**
 * The four-level interconnection with three real axes over HTTP: a commune axis whose parent is the
 * province axis, whose parent is the national axis. Timers are off: each step runs the forwarding
 * worker or the parent exchange once, so the test sees every hop.
 */

const VPCP = '000.00.00.G22';
const PROVINCE = '000.00.00.H53';
const COMMUNE = '001.01.00.H53';
let national: RunningAxis;
let province: RunningAxis;
let commune: RunningAxis;
let vpcp: AxisClient;
let xa: AxisClient;

beforeAll(async () => {
  national = await startTestAxis(await createTestDb(), { axisCode: 'VN.NATIONAL' });
  await addSystem({ db: national.deps.db, dataDir: national.deps.config.dataDir, systemId: VPCP, name: 'Văn phòng Chính phủ', secret: 'vpcp-secret-1', kind: 'agency' });
  await addSystem({ db: national.deps.db, dataDir: national.deps.config.dataDir, systemId: 'AXIS.H53', name: 'Trục tỉnh', secret: 'province-secret', kind: 'axis' });
  province = await startTestAxis(await createTestDb(), {
    axisCode: PROVINCE, parent: { endpoint: national.endpoint, systemId: 'AXIS.H53', secret: 'province-secret' },
  });
  await addSystem({ db: province.deps.db, dataDir: province.deps.config.dataDir, systemId: PROVINCE, name: 'UBND tỉnh', secret: 'ubnd-secret-1', kind: 'agency' });
  await addSystem({ db: province.deps.db, dataDir: province.deps.config.dataDir, systemId: 'AXIS.X01', name: 'Trục xã', secret: 'commune-secret', kind: 'axis' });
  commune = await startTestAxis(await createTestDb(), {
    axisCode: 'AXIS.X01', parent: { endpoint: province.endpoint, systemId: 'AXIS.X01', secret: 'commune-secret' },
  });
  await addSystem({ db: commune.deps.db, dataDir: commune.deps.config.dataDir, systemId: COMMUNE, name: 'UBND xã Thử', secret: 'xa-secret-001', kind: 'agency' });
  vpcp = createAxisClient({ endpoint: national.endpoint, systemId: VPCP, secret: 'vpcp-secret-1' });
  xa = createAxisClient({ endpoint: commune.endpoint, systemId: COMMUNE, secret: 'xa-secret-001' });
  // Directory: each child axis registers what it serves with its parent, bottom up.
  await commune.sync?.runOnce();
  await province.sync?.runOnce();
});

afterAll(async () => {
  vpcp.close();
  xa.close();
  await commune.stop();
  await province.stop();
  await national.stop();
});

describe('commune → province → national and back', () => {
  test('the agencies a child axis serves are registered up the chain, and the national directory comes down to the commune', async () => {
    const nationalUnits = await vpcp.getSynchronizeUnit();
    expect(nationalUnits.map((u) => u.code)).toEqual(expect.arrayContaining([VPCP, PROVINCE, COMMUNE]));
    expect((await axisRepo.findServedAgency(national.deps.db, COMMUNE))?.systemId).toBe('AXIS.H53');
    await commune.sync?.runOnce();
    expect((await xa.getAgenciesList()).map((a) => a.code)).toEqual(expect.arrayContaining([VPCP, PROVINCE, COMMUNE]));
  });

  test('a commune\'s document reaches the Government Office through two parent axes, with a TraceHeader per hop, and the reply status comes back down', async () => {
    const file = await makePackage({ from: COMMUNE, to: [VPCP] });
    const { docId } = await xa.sendEdoc(file);
    expect((await xa.getSentEdocList('edoc')).find((s) => s.senderDocId === docId)).toMatchObject({ toCode: VPCP, sendStatus: 'forwarding' });
    expect(await commune.worker.runOnce()).toBe(1);
    const sent = (await xa.getSentEdocList('edoc')).find((s) => s.senderDocId === docId);
    expect(sent).toMatchObject({ sendStatus: 'forwarded' });
    expect(sent?.receiverDocId).not.toBe(docId);
    expect(await province.worker.runOnce()).toBe(1);
    const inbox = await vpcp.getReceivedEdocList('edoc');
    expect(inbox).toHaveLength(1);
    expect(inbox[0]).toMatchObject({ from: COMMUNE, status: 'initial' });
    const got = await parseEdxml(await vpcp.getEdoc(inbox[0]?.docId ?? ''));
    expect(got.kind === 'edoc' && got.header.traceHeaderList.traceHeader.map((t) => t.organId)).toEqual([COMMUNE, 'AXIS.X01', PROVINCE, 'VN.NATIONAL']);
    await vpcp.updateStatus(inbox[0]?.docId ?? '', 'done');
    expect(await vpcp.getReceivedEdocList('edoc')).toHaveLength(0);

    // The Government Office answers with a status package; it travels down by pulls.
    await vpcp.sendEdoc(await makeStatusPackage({ from: VPCP, to: COMMUNE }), { messagetype: 'status' });
    expect(await province.sync?.runOnce()).toMatchObject({ imported: 1 });
    expect(await commune.sync?.runOnce()).toMatchObject({ imported: 1 });
    const statuses = await xa.getReceivedEdocList('status');
    expect(statuses).toHaveLength(1);
    expect(statuses[0]).toMatchObject({ from: VPCP, messageType: 'status' });
    // Pulled packages were acknowledged upstream: nothing waits at the national or province axis.
    expect(await province.sync?.runOnce()).toMatchObject({ imported: 0 });
    const atNational = await national.deps.db.selectFrom('axisDelivery').select('status').where('systemId', '=', 'AXIS.H53').execute();
    expect(atNational.map((d) => d.status)).toEqual(['done']);
  });

  test('a forwarding retried after a lost answer is deduplicated by the parent (same DocId, one stored package)', async () => {
    const file = await makePackage({ from: COMMUNE, to: [VPCP] });
    const { docId } = await xa.sendEdoc(file);
    await commune.worker.runOnce();
    const before = await axisRepo.countPackages(province.deps.db);
    const firstParentId = (await axisRepo.deliveriesOf(commune.deps.db, docId))[0]?.parentDocId;
    // Simulate a crash after the parent stored the package but before the outcome was saved.
    await commune.deps.db.updateTable('axisDelivery').set({ status: 'forwarding', parentDocId: null }).where('docId', '=', docId).execute();
    await commune.deps.db.updateTable('job').set({ doneAt: null, runAt: new Date(0) }).where('dedupeKey', '=', `axis.forward:${docId}`).execute();
    expect(await commune.worker.runOnce()).toBe(1);
    expect((await axisRepo.deliveriesOf(commune.deps.db, docId))[0]?.parentDocId).toBe(firstParentId);
    expect(await axisRepo.countPackages(province.deps.db)).toBe(before);
  });
});
