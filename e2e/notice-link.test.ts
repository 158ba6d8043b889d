import { expect, test } from 'vitest';
import { noticeLink } from '../web/src/notices/notices-api.ts';

const none = { incomingId: null, outgoingId: null, recordsFileId: null };

test('a notice opens what it is about: a hand-over batch the batches to receive, a file, an outgoing or incoming document, a backup warning the backups page', () => {
  expect(noticeLink({ ...none, kind: 'hand_over_batch', recordsFileId: 'f1' })).toBe('/records/hand-over');
  expect(noticeLink({ ...none, kind: 'hand_over_due', recordsFileId: 'f1' })).toBe('/records/f1');
  expect(noticeLink({ ...none, kind: 'issued', outgoingId: 'o1' })).toBe('/outgoing/o1');
  expect(noticeLink({ ...none, kind: 'assigned', incomingId: 'i1' })).toBe('/incoming/i1');
  expect(noticeLink({ ...none, kind: 'backup_failed' })).toBe('/admin/backups');
});
