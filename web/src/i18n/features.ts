import { outgoingVi, outgoingEn } from '../features/outgoing/outgoing.i18n.ts';
import { signAgentVi, signAgentEn } from '../features/outgoing/sign-agent.i18n.ts';
import { sendingVi, sendingEn } from '../features/outgoing/sending.i18n.ts';
import { documentsVi, documentsEn } from '../features/documents/documents.i18n.ts';
import { incomingVi, incomingEn } from '../features/incoming/incoming.i18n.ts';
import { archiveVi, archiveEn } from '../admin/archive.i18n.ts';
import { backupVi, backupEn } from '../admin/backup.i18n.ts';
import { exchangeAdminVi, exchangeAdminEn } from '../admin/exchange.i18n.ts';
import { auditVi, auditEn } from '../admin/audit.i18n.ts';
import { accessChangesVi, accessChangesEn } from '../admin/access-changes.i18n.ts';
import { certificatesVi, certificatesEn } from '../admin/certificates.i18n.ts';
import { agencyAdminVi, agencyAdminEn } from '../admin/agency-admin.i18n.ts';
import { registersAdminVi, registersAdminEn } from '../admin/registers.i18n.ts';
import { setupChecklistVi, setupChecklistEn } from '../admin/setup-checklist.i18n.ts';
import { searchVi, searchEn } from '../pages/search.i18n.ts';
import { recordsVi, recordsEn } from '../features/records/records.i18n.ts';
import { reportsVi, reportsEn } from '../features/reports/reports.i18n.ts';
import { noticesVi, noticesEn } from '../notices/notices.i18n.ts';
import { uiVi, uiEn } from '../ui/ui.i18n.ts';
import { addMessages } from './i18n.tsx';

/**
 * The messages of the pages behind the login (Vietnamese, the reference, and English): not in the login
 * page's download, which carries only vi.ts and en.ts. Importing this module adds them to the catalogues —
 * the signed-in frame (shell/app-layout.tsx) does, before any of those pages renders, and so does every
 * public page that shows them.
 */
export const featuresVi = {
  ...outgoingVi,
  ...signAgentVi,
  ...sendingVi,
  ...documentsVi,
  ...incomingVi,
  ...archiveVi,
  ...backupVi,
  ...exchangeAdminVi,
  ...auditVi,
  ...accessChangesVi,
  ...certificatesVi,
  ...agencyAdminVi,
  ...registersAdminVi,
  ...setupChecklistVi,
  ...searchVi,
  ...recordsVi,
  ...reportsVi,
  ...noticesVi,
  ...uiVi,
} as const;

/** A key of the pages behind the login. */
export type FeatureMessageKey = keyof typeof featuresVi;

export const featuresEn: Record<FeatureMessageKey, string> = {
  ...outgoingEn,
  ...signAgentEn,
  ...sendingEn,
  ...documentsEn,
  ...incomingEn,
  ...archiveEn,
  ...backupEn,
  ...exchangeAdminEn,
  ...auditEn,
  ...accessChangesEn,
  ...certificatesEn,
  ...agencyAdminEn,
  ...registersAdminEn,
  ...setupChecklistEn,
  ...searchEn,
  ...recordsEn,
  ...reportsEn,
  ...noticesEn,
  ...uiEn,
};

addMessages(featuresVi, featuresEn);
