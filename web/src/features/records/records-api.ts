import type { InferResponseType } from 'hono/client';
import { api, unwrap } from '../../api/client.ts';
import type { Translate } from '../../i18n/i18n.tsx';
import type { Role } from '../../auth/session.ts';
import { fetchFile, recordsFileKey } from './records.queries.ts';

export { fetchFile };

export type RecordsFileItem = InferResponseType<typeof api.records.files.$get, 200>['data'][number];
export type RecordsFileDetail = InferResponseType<(typeof api.records.files)[':id']['$get'], 200>['data'];
export type FiledDocument = RecordsFileDetail['documents'][number];
export type DocumentChoice = InferResponseType<(typeof api.records.files)[':id']['document-choices']['$get'], 200>['data'][number];
export type PlanView = InferResponseType<typeof api.records.plan.$get, 200>['data'];
export type PlanEntry = PlanView['entries'][number];
export type Scope = 'mine' | 'unit' | 'agency';
export type FileStatus = 'open' | 'closed' | 'handed_over';
export type DocumentRef = { ownerType: 'incoming' | 'outgoing'; ownerId: string };

/** Thời hạn bảo quản choices, longest first (TT 02/2019 maintenance codes; 5 and 2 years for short-lived files). */
export const RETENTIONS = ['permanent', '70', '50', '30', '20', '10', '5', '2'] as const;
export type Retention = (typeof RETENTIONS)[number];

export const recordsKeys = {
  all: ['records'] as const,
  list: (scope: Scope, year: number | null, status: FileStatus | null, q = '', isDue = false) => ['records', 'list', scope, year, status, q, isDue] as const,
  detail: recordsFileKey,
  plan: (year: number) => ['records', 'plan', year] as const,
  choices: (fileId: string, q: string) => ['records', 'choices', fileId, q] as const,
  forDocument: (ref: DocumentRef) => ['records', 'for-document', ref.ownerType, ref.ownerId] as const,
  handOverDue: ['records', 'hand-over-due'] as const,
  batches: (status: 'waiting' | 'received') => ['records', 'batches', status] as const,
  batch: (id: string) => ['records', 'batches', 'one', id] as const,
  kept: (year: number | null) => ['records', 'kept', year] as const,
};

/** The roles that read the Danh mục hồ sơ giữ lại (policy records.kept.list; a unit head, their unit's). */
export const KEPT_LIST_ROLES: readonly Role[] = ['clerk', 'leader', 'archivist', 'unit_head'];

/** The roles that keep files of their own (policy records.file.create): the archivist and the admin only receive and look. */
export const FILE_KEEPER_ROLES: readonly Role[] = ['staff', 'unit_head', 'leader', 'clerk'];
/** The roles that hand over (or receive) any closed file of the agency (policy records.file.hand_over; a keeper hands over their own, a unit head their unit's). */
export const HAND_OVER_ROLES: readonly Role[] = ['clerk', 'archivist'];

/** Where a closed file stands against its hand-over date, as the server counts it: 'overdue', 'due_soon' (within its notice days), or null. */
export type HandOverState = NonNullable<RecordsFileItem['handOverState']>;
export const fetchHandOverDue = () => unwrap(api.records.files['hand-over-due'].$get());

/** The whole file exported (ND 30 Phụ lục VI III.4.g): one PDF (cover, mục lục, the documents in date order) or one XML holding the metadata and every file. */
export const fileExportUrl = (id: string, format: 'pdf' | 'xml') => `/api/records/files/${id}/export.${format}`;
export const fetchPlan = (year: number) => unwrap(api.records.plan.$get({ query: { year: String(year) } }));

/** "Vĩnh viễn" or "20 năm". */
export const retentionLabel = (t: Translate, r: string) => (r === 'permanent' ? t('records.retention.permanent') : t('records.retention.years', { n: r }));

export const STATUS_COLOR: Record<string, string> = { open: 'blue', closed: 'teal', handed_over: 'grape' };
