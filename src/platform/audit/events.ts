import { z } from 'zod';

/**
 * Every audit event type, with the entity it is about. Domains add their events here so the audit
 * log has one vocabulary. `data` is free-form context (never secrets).
 */
const base = { entityId: z.string(), agencyId: z.uuid().nullable().optional(), data: z.record(z.string(), z.unknown()).optional() };
const event = <T extends string, E extends string>(type: T, entityType: E) =>
  z.object({ type: z.literal(type), entityType: z.literal(entityType), ...base });

export const ZAuditEvent = z.discriminatedUnion('type', [
  event('AGENCY_CREATED', 'agency'),
  event('AGENCY_UPDATED', 'agency'),
  event('UNIT_CREATED', 'unit'),
  event('UNIT_UPDATED', 'unit'),
  event('UNIT_DELETED', 'unit'),
  event('USER_CREATED', 'user'),
  event('USER_UPDATED', 'user'),
  event('USER_PASSWORD_RESET_BY_ADMIN', 'user'),
  event('USER_PASSWORD_CHANGED', 'user'),
  event('USER_PASSWORD_RESET_REQUESTED', 'user'),
  event('USER_PASSWORD_RESET_COMPLETED', 'user'),
  event('USER_TOTP_ENABLED', 'user'),
  event('USER_TOTP_DISABLED', 'user'),
  event('USER_LOGGED_IN', 'user'),
  event('USER_LOGIN_FAILED', 'user'),
  event('USER_LOCKED_OUT', 'user'),
  event('USER_LOGGED_OUT', 'user'),
  event('USER_LOGGED_OUT_EVERYWHERE', 'user'),
  event('USER_ACCESS_CHANGE_CONFIRMED', 'user'),
  event('DEMO_SEEDED', 'agency'),
  event('BACKUP_REQUESTED', 'agency'),
  event('REGISTER_CREATED', 'register'),
  event('REGISTER_UPDATED', 'register'),
  event('TRUST_ADDED', 'trust'),
  event('TRUST_REMOVED', 'trust'),
  z.object({ type: z.enum(['OUTGOING_CREATED', 'OUTGOING_UPDATED', 'OUTGOING_FILE_UPLOADED', 'OUTGOING_SUBMITTED', 'OUTGOING_REVIEW_APPROVED', 'OUTGOING_REVIEW_RETURNED', 'OUTGOING_REVIEW_FORWARDED', 'OUTGOING_SIGNED', 'OUTGOING_SIGN_PREPARED', 'OUTGOING_RETURNED', 'OUTGOING_ISSUED', 'OUTGOING_RECIPIENT_STATUS', 'OUTGOING_RECALL_REQUESTED', 'OUTGOING_REPLACED', 'OUTGOING_CANCELLED', 'OUTGOING_DELEGATION_CREATED', 'OUTGOING_DELEGATION_REVOKED', 'OUTGOING_CHAIN_UPDATED']), entityType: z.literal('outgoing'), ...base }),
  z.object({ type: z.enum(['CERTIFICATE_CREATED', 'CERTIFICATE_DEACTIVATED']), entityType: z.literal('certificate'), ...base }),
  z.object({ type: z.enum(['INCOMING_RECEIVED', 'INCOMING_REGISTERED', 'INCOMING_REFUSED', 'INCOMING_FORWARDED', 'INCOMING_DIRECTED', 'INCOMING_REASSIGNED', 'INCOMING_PROGRESS', 'INCOMING_PART_DONE', 'INCOMING_CLOSED', 'INCOMING_REOPENED', 'INCOMING_OCR_FINISHED', 'INCOMING_VERIFIED', 'INCOMING_VERIFY_REQUESTED', 'INCOMING_STATUS_SENT', 'INCOMING_FILE_READ', 'INCOMING_DELEGATED', 'INCOMING_DELEGATION_REVOKED']), entityType: z.literal('incoming'), ...base }),
  z.object({ type: z.enum(['ARCHIVE_TIMESTAMP_ADDED', 'ARCHIVE_RENEWAL_FAILED', 'ARCHIVE_FILE_SKIPPED', 'ARCHIVE_PASS_RUN']), entityType: z.enum(['outgoing', 'incoming', 'archive']), ...base }),
  z.object({ type: z.enum(['RECORDS_PLAN_ENTRY_CREATED', 'RECORDS_PLAN_ENTRY_UPDATED', 'RECORDS_PLAN_ENTRY_DELETED', 'RECORDS_FILE_OPENED', 'RECORDS_DOCUMENT_ADDED', 'RECORDS_DOCUMENT_REMOVED', 'RECORDS_FILE_CLOSED', 'RECORDS_FILE_REOPENED', 'RECORDS_FILE_HANDED_OVER', 'RECORDS_FILE_RECEIVED', 'RECORDS_FILE_EXPORTED', 'RECORDS_FILE_KEEP_REQUESTED', 'RECORDS_FILE_KEEP_APPROVED', 'RECORDS_FILE_KEEP_REFUSED', 'RECORDS_FILE_KEEP_EXTENSION_REQUESTED', 'RECORDS_FILE_KEEP_EXTENSION_APPROVED', 'RECORDS_FILE_KEEP_EXTENSION_REFUSED', 'RECORDS_FILE_CONSTRUCTION_SET']), entityType: z.enum(['records_plan', 'records_file']), ...base }),
  event('REPORTS_CHASE_SENT', 'incoming'),
  z.object({ type: z.enum(['EXCHANGE_ENDPOINT_SET', 'EXCHANGE_PACKAGE_REFUSED', 'EXCHANGE_REQUEST_RECEIVED', 'EXCHANGE_REQUEST_ANSWERED', 'EXCHANGE_REPLACED', 'EXCHANGE_UPDATE_SENT', 'EXCHANGE_OUTBOX_REQUEUED', 'EXCHANGE_PIN_SET', 'EXCHANGE_REFUSED_REFETCH']), entityType: z.enum(['exchange', 'incoming', 'outgoing']), ...base }),
]);

export type TAuditEvent = z.infer<typeof ZAuditEvent>;
export type AuditEventType = TAuditEvent['type'];
