import { Writable } from 'node:stream';
import { beforeAll, describe, expect, test } from 'vitest';
import { useTestDb } from '../../../test/app.ts';
import { nextAgencyCode } from '../../../test/factories.ts';
import { makePackage } from '../axis/axis.testing.ts';
import { buildStatusEdxml } from '../edxml/edxml.build.ts';
import { makeTestSigner } from '../edxml/edxml.testing.ts';
import { applyPrepared, preparePackage, type TakeIn } from './connector.accept.ts';
import { issueExternal, makeInstall, type Install } from './connector.testing.ts';

/**
 * Taking in polled packages in one batch transaction (what pollAgency does with a list): real signed
 * packages, a real recipient install on its own database.
 */
const t = useTestDb();
let recipient: Install;

beforeAll(async () => {
  recipient = await makeInstall(t.db, { code: nextAgencyCode(), name: 'Sở Tư pháp tỉnh Thử' });
});

const takeIn = (axisDocId: string, bytes: Uint8Array): TakeIn =>
  ({ agencyId: recipient.agency.id, agencyCode: recipient.agency.code, axisDocId, messageType: 'edoc', bytes });
const incomingCount = async () =>
  Number((await recipient.db.selectFrom('incomingDocument').select((eb) => eb.fn.countAll().as('n')).where('agencyId', '=', recipient.agency.id).executeTakeFirstOrThrow()).n);

describe('a batch of received packages', () => {
  test('two first packages of a new sender signed with different certificates: the first is pinned and taken in, the second refused as forged', async () => {
    const sender = nextAgencyCode();
    const genuine = await makePackage({ from: sender, to: [recipient.agency.code], signer: makeTestSigner('rsa'), subject: 'V/v gói tin thật' });
    const forged = await makePackage({ from: sender, to: [recipient.agency.code], signer: makeTestSigner('rsa'), subject: 'V/v gói tin giả' });
    const prepared = await Promise.all([preparePackage(recipient.deps, takeIn('batch-genuine', genuine)), preparePackage(recipient.deps, takeIn('batch-forged', forged))]);
    const before = await incomingCount();
    const [first, second] = await applyPrepared(recipient.deps, recipient.agency.id, prepared);
    expect(first).toMatchObject({ outcome: 'accepted' });
    expect(second).toMatchObject({ outcome: 'refused' });
    expect((second as { reason: string }).reason).toContain('giả mạo');
    expect(await incomingCount()).toBe(before + 1);
  });

  test('a package recorded already (another poller took it in) is recognised inside the transaction and taken in once', async () => {
    const sender = nextAgencyCode();
    const bytes = await makePackage({ from: sender, to: [recipient.agency.code], signer: makeTestSigner('rsa') });
    const prepared = await preparePackage(recipient.deps, takeIn('batch-twice', bytes));
    const before = await incomingCount();
    const [once] = await applyPrepared(recipient.deps, recipient.agency.id, [prepared]);
    const [again] = await applyPrepared(recipient.deps, recipient.agency.id, [prepared]);
    expect(once).toMatchObject({ outcome: 'accepted' });
    expect(again).toMatchObject({ outcome: 'accepted', incomingId: (once as { incomingId: string }).incomingId });
    expect(await incomingCount()).toBe(before + 1);
  });

  test('statuses of one recipient in one batch are applied in turn: 06 then 03 stamped in the same second end at 06, both join its timeline, and its document package counts as delivered', async () => {
    const to = { code: nextAgencyCode(), name: 'Sở Xây dựng tỉnh Thử' };
    const doc = await issueExternal(recipient, [to]);
    const documentId = `${recipient.agency.code},2026/12/06,${doc.number ?? 0}/${doc.notation ?? ''}`;
    await recipient.db.insertInto('exchangeDocument').values({ agencyId: recipient.agency.id, documentId, outgoingId: doc.id }).execute();
    await recipient.db.updateTable('exchangeOutbox').set({ status: 'failed' }).where('outgoingId', '=', doc.id).execute();
    const signer = makeTestSigner('rsa');
    const status = async (code: string) => {
      const header = {
        messageHeader: { responseFor: { organId: recipient.agency.code, documentId }, from: { organId: to.code, organName: to.name }, statusCode: code, timestamp: '2026/12/06 10:00:00' },
        traceHeaderList: { traceHeader: [{ organId: to.code, timestamp: '2026/12/06 10:00:00' }] },
      };
      const chunks: Buffer[] = [];
      await buildStatusEdxml(header, { signer }, new Writable({ write(chunk: Buffer, _enc, done) { chunks.push(chunk); done(); } }));
      return preparePackage(recipient.deps, { ...takeIn(`batch-status-${code}`, Buffer.concat(chunks)), messageType: 'status' });
    };
    const results = await applyPrepared(recipient.deps, recipient.agency.id, [await status('06'), await status('03')]);
    expect(results).toMatchObject([{ outcome: 'accepted' }, { outcome: 'accepted' }]);
    const r = await recipient.db.selectFrom('outgoingRecipient').select(['id', 'statusCode']).where('outgoingId', '=', doc.id).where('agencyCode', '=', to.code).executeTakeFirstOrThrow();
    expect(r.statusCode).toBe('06');
    const events = await recipient.db.selectFrom('outgoingRecipientEvent').select('code').where('recipientId', '=', r.id).execute();
    expect(events.map((e) => e.code).sort()).toEqual(['03', '06']);
    const outbox = await recipient.db.selectFrom('exchangeOutbox').select('status').where('outgoingId', '=', doc.id).execute();
    expect(outbox.map((o) => o.status)).toEqual(['sent']);
  });

  test('a package that fails in the batch is rolled back alone and reported; the others commit', async () => {
    const sender = nextAgencyCode();
    const good = await preparePackage(recipient.deps, takeIn('batch-good', await makePackage({ from: sender, to: [recipient.agency.code], signer: makeTestSigner('rsa') })));
    const other = await preparePackage(recipient.deps, takeIn('batch-broken', await makePackage({ from: nextAgencyCode(), to: [recipient.agency.code], signer: makeTestSigner('rsa') })));
    if (other.refusal || other.parsed.kind !== 'edoc') throw new Error('expected a document package');
    // A day that does not exist: the database refuses this package's incoming row (and aborts the statement) after its blob row was written.
    const m = other.parsed.header.messageHeader;
    const header = { ...other.parsed.header, messageHeader: { ...m, promulgationInfo: { ...m.promulgationInfo, promulgationDate: '2026/13/45' } } };
    const broken = { ...other, parsed: { ...other.parsed, header } };
    const before = await incomingCount();
    const [ok, failed] = await applyPrepared(recipient.deps, recipient.agency.id, [good, broken]);
    expect(ok).toMatchObject({ outcome: 'accepted' });
    expect(failed).toBeInstanceOf(Error);
    expect(await incomingCount()).toBe(before + 1);
    const recorded = await recipient.db.selectFrom('exchangeReceived').select('axisDocId').where('axisDocId', 'in', ['batch-good', 'batch-broken']).execute();
    expect(recorded.map((r) => r.axisDocId)).toEqual(['batch-good']);
  });
});
