import type { JobDefinition } from './jobs.ts';
import { sendMailJob } from '../mail/mail.ts';

/** Every job type the worker runs. Domains add their jobs here (one line each). */
export const ALL_JOBS: JobDefinition[] = [
  sendMailJob as unknown as JobDefinition,
  ...(await import('../../domain/incoming/incoming.jobs.ts')).INCOMING_JOBS,
  ...(await import('../../domain/exchange/connector/connector.jobs.ts')).EXCHANGE_JOBS,
  ...(await import('../../domain/archive/archive.jobs.ts')).ARCHIVE_JOBS,
  ...(await import('../../domain/records/records-hand-over.service.ts')).RECORDS_JOBS,
  ...(await import('../../domain/outgoing/outgoing.jobs.ts')).OUTGOING_JOBS,
  ...(await import('../backup/backup.jobs.ts')).BACKUP_JOBS,
  ...(await import('../../domain/certificates/certificates.expiry.ts')).CERTIFICATES_JOBS,
  ...(await import('../../domain/files/files.jobs.ts')).FILES_JOBS,
];
