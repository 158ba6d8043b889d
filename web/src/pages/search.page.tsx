import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Anchor, Badge, Button, Card, Collapse, Group, Menu, SegmentedControl, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery, type UseQueryResult } from '@tanstack/react-query';
import IconSearch from '@tabler/icons-react/dist/esm/icons/IconSearch.mjs';
import IconAdjustments from '@tabler/icons-react/dist/esm/icons/IconAdjustmentsHorizontal.mjs';
import IconDownload from '@tabler/icons-react/dist/esm/icons/IconDownload.mjs';
import IconFileTypeDocx from '@tabler/icons-react/dist/esm/icons/IconFileTypeDocx.mjs';
import IconFileTypePdf from '@tabler/icons-react/dist/esm/icons/IconFileTypePdf.mjs';
import { api, unwrap } from '../api/client.ts';
import { incomingTitle } from '../features/incoming/incoming-api.ts';
import { useReference } from '../features/outgoing/outgoing-api.ts';
import { VnDateInput } from '../features/documents/vn-date-input.tsx';
import { useI18n, type MessageKey } from '../i18n/i18n.tsx';
import { ErrorState, LoadingState, PageHeader } from '../ui/states.tsx';
import { FieldsMenu, useHiddenFields } from './search-fields.tsx';
import { SavedSearches } from './search-saved.tsx';
import {
  isSearchAsked, resultOrderOf, SEARCH_KINDS, SEARCH_ORDERS, SEARCH_STATUSES, searchedKinds, searchWords, type SearchKind, type SearchOrder, type TSearchQuery,
} from '../../../src/domain/search/search.schemas.ts';

const LIMIT = 20;
const FIELDS = ['q', 'kind', 'from', 'to', 'type', 'issuer', 'status', 'year', 'order'] as const;

/** One result: its title, its fields (`[field, text]`, SEARCH_FIELDS names) and its status; the user may hide any field but the title. */
type Hit = { key: string; to: string; title: string; meta: (readonly [string, string])[]; badge: string };
type IncomingQuery = Parameters<typeof api.incoming.$get>[0]['query'];
type OutgoingQuery = Parameters<typeof api.outgoing.$get>[0]['query'];
type FilesQuery = Parameters<typeof api.records.files.$get>[0]['query'];
type TypeCode = NonNullable<IncomingQuery['typeCode']>;

/** The search the address holds (/search?q=…&kind=…&from=…): every field of it, so a search can be bookmarked or saved. */
export function searchOf(params: URLSearchParams): TSearchQuery {
  return Object.fromEntries(FIELDS.flatMap((k) => (params.get(k) ? [[k, params.get(k)]] : []))) as TSearchQuery;
}
const paramsOf = (s: TSearchQuery): Record<string, string> => Object.fromEntries(Object.entries(s).filter(([, v]) => typeof v === 'string' && v !== '')) as Record<string, string>;

/**
 * One search over what the user may see: incoming documents (trích yếu, số/ký hiệu, sender, OCR text),
 * outgoing documents (trích yếu, số/ký hiệu) and work files (số/ký hiệu, title, documents in them),
 * each list as its own page finds them, narrowed by «Tìm nâng cao» (kind, dates, type, issuer, status,
 * year) and ordered by relevance (the default with words), newest or oldest first (ND 30 Phụ lục VI
 * III.6.d, g). The search lives in the address.
 */
export default function SearchPage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  // The search is state, written to the address after each change: several quick changes (fields typed one
  // after the other) each build on the last, which the address alone — updated in a transition — would not.
  const [search, setSearch] = useState(() => searchOf(params));
  const address = new URLSearchParams(paramsOf(search)).toString();
  const written = useRef(new Set<string>()); // the addresses this page wrote: seeing one again is not a navigation
  useEffect(() => {
    if (params.toString() === address) return;
    written.current.add(address);
    setParams(address, { replace: true });
  }, [address]);
  useEffect(() => { // the back button, the header's search field
    if (written.current.delete(params.toString()) || params.toString() === address) return;
    setSearch(searchOf(params));
  }, [params]);
  const [text, setText] = useState(search.q ?? '');
  const [q] = useDebouncedValue(text.trim(), 350);
  const [advanced, setAdvanced] = useState(false);
  const [hidden, setHidden] = useHiddenFields();
  const set = (patch: Partial<TSearchQuery>) => setSearch((current) => ({ ...current, ...patch }));
  useEffect(() => { if ((search.q ?? '') !== q) set({ q: q || undefined }); }, [q]); // the typed words follow once debounced
  useEffect(() => { if (text.trim() !== (search.q ?? '')) setText(search.q ?? ''); }, [search.q]); // …and a saved search or the back button bring theirs
  const kinds = searchedKinds(search);
  const enabled = isSearchAsked(search);
  const fieldCount = (['kind', 'from', 'to', 'type', 'issuer', 'status', 'year', 'order'] as const).filter((k) => search[k]).length;
  return (
    <Stack gap="lg" maw={1100}>
      <PageHeader title={t('search.title')} subtitle={t('search.subtitle')} />
      <Stack gap="xs">
        <TextInput data-autofocus autoFocus size="md" leftSection={<IconSearch size={18} />} aria-label={t('search.placeholder')} placeholder={t('search.placeholder')}
          value={text} onChange={(e) => setText(e.currentTarget.value)} />
        <Group gap="xs" justify="space-between" wrap="wrap">
          <Button variant="subtle" size="compact-sm" leftSection={<IconAdjustments size={16} />} onClick={() => setAdvanced((o) => !o)} aria-expanded={advanced} data-testid="search-advanced-toggle"
            rightSection={fieldCount > 0 ? <Badge size="xs" circle>{fieldCount}</Badge> : undefined}>{t('search.advanced')}</Button>
          <Group gap="xs">
            {fieldCount > 0 && <Button variant="subtle" color="gray" size="compact-sm" onClick={() => setSearch({ q: search.q })}>{t('search.clear')}</Button>}
            <FieldsMenu hidden={hidden} onChange={setHidden} />
            {enabled && kinds.length > 0 && <ExportMenu search={search} hidden={hidden} />}
          </Group>
        </Group>
        <Collapse expanded={advanced}>
          <AdvancedPanel search={search} set={set} />
        </Collapse>
      </Stack>
      <SavedSearches search={search} onRun={setSearch} />
      {!enabled ? <Text c="dimmed" size="sm">{t('search.hint')}</Text> : <Results search={search} kinds={kinds} hidden={hidden} />}
    </Stack>
  );
}

/** «Xuất kết quả»: the current results as a PDF to print or a DOCX to edit (ND 30 Phụ lục VI III.6.h), downloaded with the session. */
function ExportMenu({ search, hidden }: { search: TSearchQuery; hidden: ReadonlySet<string> }): ReactNode {
  const { t } = useI18n();
  const href = (format: 'pdf' | 'docx') => `/api/search/export?${new URLSearchParams({ ...paramsOf(search), format, ...(hidden.size > 0 && { hide: [...hidden].sort().join(',') }) })}`;
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button variant="light" size="compact-sm" leftSection={<IconDownload size={16} />} data-testid="search-export">{t('search.export')}</Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item component="a" href={href('pdf')} download leftSection={<IconFileTypePdf size={16} />}>{t('search.export.pdf')}</Menu.Item>
        <Menu.Item component="a" href={href('docx')} download leftSection={<IconFileTypeDocx size={16} />}>{t('search.export.docx')}</Menu.Item>
        <Menu.Label>{t('search.export.limit')}</Menu.Label>
      </Menu.Dropdown>
    </Menu>
  );
}

/** «Tìm nâng cao»: what to look in, the fields that kind has, and the order. Changing the kind drops the fields it has not. */
function AdvancedPanel({ search, set }: { search: TSearchQuery; set: (patch: Partial<TSearchQuery>) => void }): ReactNode {
  const { t } = useI18n();
  const reference = useReference();
  const kind = search.kind;
  const statuses = kind ? SEARCH_STATUSES[kind] : [];
  const statusLabel = (s: string) => t(`${kind}.status.${s}` as MessageKey);
  return (
    <Card withBorder radius="md" padding="sm" data-testid="search-advanced">
      <Stack gap="sm">
        <SegmentedControl fullWidth size="xs" value={kind ?? 'all'} data-testid="search-kind"
          onChange={(v) => set({ kind: v === 'all' ? undefined : (v as SearchKind), status: undefined, ...(v === 'records' ? { from: undefined, to: undefined, type: undefined, issuer: undefined } : { year: undefined }), ...(v === 'outgoing' && { issuer: undefined }) })}
          data={[{ value: 'all', label: t('search.kind.all') }, ...SEARCH_KINDS.map((k) => ({ value: k, label: t(`search.kind.${k}`) }))]} />
        <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="sm" verticalSpacing="xs">
          {kind !== 'records' && <>
            <VnDateInput label={t('search.from')} invalidMessage={t('doc.date.invalid')} value={search.from ?? ''} onChange={(v) => set({ from: v || undefined })} />
            <VnDateInput label={t('search.to')} invalidMessage={t('doc.date.invalid')} value={search.to ?? ''} onChange={(v) => set({ to: v || undefined })} />
            <Select label={t('search.type')} clearable searchable value={search.type ?? null} onChange={(v) => set({ type: (v ?? undefined) as TypeCode | undefined })}
              data={(reference.data?.data.documentTypes ?? []).map((d) => ({ value: d.code, label: d.name }))} comboboxProps={{ withinPortal: true }} />
          </>}
          {(kind === undefined || kind === 'incoming') &&
            <TextInput label={t('search.issuer')} placeholder={t('search.issuer.placeholder')} value={search.issuer ?? ''} onChange={(e) => set({ issuer: e.currentTarget.value || undefined })} />}
          {kind === 'records' &&
            <TextInput label={t('search.year')} inputMode="numeric" maxLength={4} value={search.year ?? ''} onChange={(e) => set({ year: e.currentTarget.value.replace(/\D/g, '') || undefined })} />}
          {kind && <Select label={t('search.status')} clearable value={search.status ?? null} onChange={(v) => set({ status: v ?? undefined })}
            data={statuses.map((s) => ({ value: s, label: statusLabel(s) }))} />}
          <OrderSelect search={search} set={set} />
        </SimpleGrid>
        {!kind && (search.from || search.to || search.type || search.issuer) && <Text size="xs" c="dimmed">{t('search.narrowed')}</Text>}
      </Stack>
    </Card>
  );
}

/**
 * «Thứ tự kết quả»: with words, «Liên quan nhất» (the default, left out of the address), newest or oldest
 * first; without words, each list's own order instead of relevance (which then falls back to it).
 */
function OrderSelect({ search, set }: { search: TSearchQuery; set: (patch: Partial<TSearchQuery>) => void }): ReactNode {
  const { t } = useI18n();
  const hasWords = searchWords(search) !== undefined;
  const fallback = hasWords ? 'relevance' : '';
  const value = search.order === 'relevance' && !hasWords ? '' : (search.order ?? fallback);
  const data = hasWords ? SEARCH_ORDERS.map((o) => ({ value: o, label: t(`search.order.${o}`) }))
    : [{ value: '', label: t('search.order.default') }, ...SEARCH_ORDERS.filter((o) => o !== 'relevance').map((o) => ({ value: o, label: t(`search.order.${o}`) }))];
  return <Select label={t('search.order')} allowDeselect={false} value={value} data={data} data-testid="search-order"
    onChange={(v) => set({ order: !v || v === fallback ? undefined : (v as SearchOrder) })} />;
}

/** The three lists asked with the search's fields; a kind the fields do not apply to is not asked. */
function Results({ search, kinds, hidden }: { search: TSearchQuery; kinds: SearchKind[]; hidden: ReadonlySet<string> }): ReactNode {
  const { t, date } = useI18n();
  const words = searchWords(search);
  const order = resultOrderOf(search); // relevance by default when words are typed, for every list
  const common = { ...(search.from && { from: search.from }), ...(search.to && { to: search.to }), ...(search.type && { typeCode: search.type as TypeCode }), ...(order && { order }) };
  const statusOf = (k: SearchKind) => (search.kind === k && search.status ? { status: search.status } : {});
  const incoming = useQuery({
    queryKey: ['search', 'incoming', search], enabled: kinds.includes('incoming'), placeholderData: keepPreviousData,
    queryFn: () => unwrap(api.incoming.$get({ query: { box: 'all', limit: String(LIMIT), ...(words && { q: words }), ...common, ...(search.issuer && { issuer: search.issuer }), ...statusOf('incoming') } as IncomingQuery })),
  });
  const outgoing = useQuery({
    queryKey: ['search', 'outgoing', search], enabled: kinds.includes('outgoing'), placeholderData: keepPreviousData,
    queryFn: () => unwrap(api.outgoing.$get({ query: { box: 'all', limit: String(LIMIT), ...(words && { search: words }), ...common, ...statusOf('outgoing') } as OutgoingQuery })),
  });
  const files = useQuery({
    queryKey: ['search', 'records', search], enabled: kinds.includes('records'), placeholderData: keepPreviousData,
    queryFn: () => unwrap(api.records.files.$get({ query: { scope: 'agency', ...(words && { q: words }), ...(search.year && { year: search.year }), ...(order && { order }), ...statusOf('records') } as FilesQuery })),
  });
  const status = (key: string) => t(key as MessageKey);
  return (
    <>
      {kinds.includes('incoming') && <Section kind="incoming" hidden={hidden} title={t('search.incoming')} query={incoming} testId="search-incoming" hits={(incoming.data?.data ?? []).map((d) => ({
        key: d.id, to: `/incoming/${d.id}`, title: incomingTitle(d, t), // a scan not registered yet: what its page says, as in the list
        meta: [['arrival', d.arrivalNumberText ? t('search.arrival', { n: d.arrivalNumberText }) : ''], ['number', [d.number, d.notation].filter(Boolean).join('/')], ['issuer', d.issuerName],
          ['date', date(d.documentDate ?? d.arrivedAt)]],
        badge: status(`incoming.status.${d.status}`),
      }))} />}
      {kinds.includes('outgoing') && <Section kind="outgoing" hidden={hidden} title={t('search.outgoing')} query={outgoing} testId="search-outgoing" hits={(outgoing.data?.data ?? []).map((d) => ({
        key: d.id, to: `/outgoing/${d.id}`, title: d.subject, meta: [['type', d.typeName], ['number', d.numberText ?? ''], ['date', d.issuedAt ? date(d.issuedAt) : '']],
        badge: status(`outgoing.status.${d.status}`),
      }))} />}
      {kinds.includes('records') && <Section kind="records" hidden={hidden} title={t('search.records')} query={files} testId="search-records" hits={(files.data?.data ?? []).slice(0, LIMIT).map((f) => ({
        key: f.id, to: `/records/${f.id}`, title: `${f.notation} — ${f.title}`,
        meta: [['owner', f.ownerName ?? ''], ['unit', f.unitName ?? ''], ['year', String(f.year)], ['retention', f.retentionText]],
        badge: t(`records.status.${f.status as 'open' | 'closed' | 'handed_over'}`),
      }))} />}
    </>
  );
}

/** One kind of result: a title with how many, then a card per hit (at most 20) with the fields not hidden, or "nothing found". */
function Section({ kind, hidden, title, query, hits, testId }: { kind: SearchKind; hidden: ReadonlySet<string>; title: string; query: UseQueryResult; hits: Hit[]; testId: string }): ReactNode {
  const { t } = useI18n();
  const meta = (h: Hit) => h.meta.filter(([field, text]) => text && !hidden.has(`${kind}.${field}`)).map(([, text]) => text).join(' · ');
  return (
    <Stack gap="xs" data-testid={testId}>
      <Title order={3} fz="md">{title}{query.isSuccess && ` (${hits.length >= LIMIT ? `${LIMIT}+` : hits.length})`}</Title>
      {query.isPending ? <LoadingState minHeight={60} /> : query.isError ? <ErrorState error={query.error} onRetry={() => void query.refetch()} />
        : hits.length === 0 ? <Text size="sm" c="dimmed">{t('search.none')}</Text> : hits.map((h) => (
          <Card key={h.key} withBorder radius="md" padding="sm">
            <Group justify="space-between" align="flex-start" gap="xs" wrap="wrap">
              <Stack gap={2} style={{ minWidth: '12rem', flex: '1 1 16rem' }}>
                <Anchor component={Link} to={h.to} fw={600} style={{ overflowWrap: 'anywhere' }}>{h.title}</Anchor>
                {meta(h) && <Text size="sm" c="dimmed">{meta(h)}</Text>}
              </Stack>
              {!hidden.has(`${kind}.status`) && <Badge variant="light" color="gray">{h.badge}</Badge>}
            </Group>
          </Card>
        ))}
    </Stack>
  );
}
