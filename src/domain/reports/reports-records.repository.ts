import type { Db } from '../../platform/db/client.ts';
import type { Actor } from '../../policies/actor.ts';
import { recordsFileVisibleTo } from '../../policies/records.ts';
import { HAND_OVER_DUE, HAND_OVER_STATE, isHandOverDue } from '../records/records-hand-over.repository.ts';
import { recordsRepo } from '../records/records.repository.ts';

/** SQL of the work files report (thống kê hồ sơ): reads only; the hand-over rule and the page totals are the records domain's own. */
export const recordsReportRepo = {
  /**
   * The agency's work files of a year (the file plan's year, planned or ad hoc), of one unit or owner when
   * asked, with where each stands against its hand-over (isHandOverDue, HAND_OVER_STATE) — and, when an
   * actor is given, only those the actor may open (records.file.view).
   */
  files: (db: Db, q: { agencyId: string; year: number; unitId?: string; ownerId?: string; visibleTo?: Actor }) => {
    let query = db.selectFrom('recordsFile')
      .select(['recordsFile.id', 'recordsFile.notation', 'recordsFile.title', 'recordsFile.retention', 'recordsFile.unitId', 'recordsFile.ownerId', 'recordsFile.status',
        'recordsFile.planEntryId', 'recordsFile.docTotal', 'recordsFile.pageTotal'])
      .select((eb) => [eb.and([isHandOverDue()(eb)]).as('isHandOverDue'), HAND_OVER_STATE.as('handOverState'), HAND_OVER_DUE.as('handOverDueDate')])
      .where('recordsFile.agencyId', '=', q.agencyId).where('recordsFile.year', '=', q.year);
    if (q.unitId) query = query.where('recordsFile.unitId', '=', q.unitId);
    if (q.ownerId) query = query.where('recordsFile.ownerId', '=', q.ownerId);
    if (q.visibleTo) query = query.where(recordsFileVisibleTo(q.visibleTo));
    return query.orderBy('recordsFile.notation').execute();
  },

  /** Open files' documents and pages as closing will count them (recordsRepo.summarize), in one query; a file with none is absent. */
  openFilesTotals: (db: Db, fileIds: readonly string[]) => recordsRepo.totalsOf(db, fileIds),
};
