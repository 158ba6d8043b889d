import { describe, expect, test } from 'vitest';
import { useTestDb } from '../../test/app.ts';
import { makeAgency, makeUnit, makeUser } from '../../test/factories.ts';
import { createDraft } from './outgoing.service.ts';
import { proposedChain } from './outgoing-review.service.ts';

const t = useTestDb();

describe('the review chain\'s «head of the drafting unit» step', () => {
  test('names the Trưởng phòng, not a Phó Trưởng phòng whose account is older nor a disabled head', async () => {
    const db = t.db;
    const agencyId = (await makeAgency(db, { shortName: 'UBND', name: 'Ủy ban nhân dân xã Chuỗi' })).id;
    const unit = await makeUnit(db, agencyId, 'Phòng Tổng hợp');
    const gone = await makeUser(db, { agencyId, unitId: unit.id, roles: ['unit_head'], fullName: 'Ngô Đã Nghỉ', position: 'Trưởng phòng' });
    await db.updateTable('appUser').set({ isActive: false }).where('id', '=', gone.user.id).execute();
    await makeUser(db, { agencyId, unitId: unit.id, roles: ['unit_head'], fullName: 'Bùi Văn Phó', position: 'Phó Trưởng phòng' });
    await makeUser(db, { agencyId, unitId: unit.id, roles: ['unit_head'], fullName: 'Phạm Quốc Huy', position: 'Trưởng phòng' });
    const staff = await makeUser(db, { agencyId, unitId: unit.id, roles: ['staff'] });
    const leader = await makeUser(db, { agencyId, roles: ['leader'], position: 'Chủ tịch' });

    const doc = await createDraft({ db, actor: staff.actor, body: {
      typeCode: 'cong_van', subject: 'Về việc chuẩn bị họp tổng kết', urgency: 'thuong', secrecy: 'thuong', signerId: leader.user.id, signerCompetence: null,
      signerPosition: 'Chủ tịch', recipients: [], recipientsText: '- Lưu: VT.', archiveNote: 'VT', copies: 1, dueDate: null, note: '', participantIds: [], replacesId: null,
    } });

    expect((await proposedChain({ db, actor: staff.actor, id: doc.id })).map((p) => p.fullName)).toEqual(['Phạm Quốc Huy']);
  });
});
