import { useEffect, useState, type ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Anchor, Badge, Card, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery, type UseQueryResult } from '@tanstack/react-query';
import IconSearch from '@tabler/icons-react/dist/esm/icons/IconSearch.mjs';
import { api, unwrap } from '../api/client.ts';
import { incomingTitle } from '../features/incoming/incoming-api.ts';
import { useI18n, type MessageKey } from '../i18n/i18n.tsx';
import { ErrorState, LoadingState, PageHeader } from '../ui/states.tsx';

const LIMIT = 20;

type Hit = { key: string; to: string; title: string; meta: string; badge: string };

/**
 * One search over what the user may see: incoming documents (trích yếu, số/ký hiệu, sender, OCR text),
 * outgoing documents (trích yếu, số/ký hiệu) and work files (số/ký hiệu, title, documents in them),
 * each list as its own page finds them. The words live in the address (/search?q=…).
 */
export default function SearchPage() {
  const { t, date } = useI18n();
  const [params, setParams] = useSearchParams();
  const [text, setText] = useState(params.get('q') ?? '');
  const [q] = useDebouncedValue(text.trim(), 350);
  useEffect(() => setParams(q ? { q } : {}, { replace: true }), [q, setParams]);
  const enabled = q.length >= 2;
  const incoming = useQuery({
    queryKey: ['search', 'incoming', q], enabled, placeholderData: keepPreviousData,
    queryFn: () => unwrap(api.incoming.$get({ query: { box: 'all', q, limit: String(LIMIT) } })),
  });
  const outgoing = useQuery({
    queryKey: ['search', 'outgoing', q], enabled, placeholderData: keepPreviousData,
    queryFn: () => unwrap(api.outgoing.$get({ query: { box: 'all', search: q, limit: String(LIMIT) } })),
  });
  const files = useQuery({
    queryKey: ['search', 'records', q], enabled, placeholderData: keepPreviousData,
    queryFn: () => unwrap(api.records.files.$get({ query: { scope: 'agency', q } })),
  });
  const status = (key: string) => t(key as MessageKey);
  return (
    <Stack gap="lg" maw={1100}>
      <PageHeader title={t('search.title')} subtitle={t('search.subtitle')} />
      <TextInput data-autofocus autoFocus size="md" leftSection={<IconSearch size={18} />} aria-label={t('search.placeholder')} placeholder={t('search.placeholder')}
        value={text} onChange={(e) => setText(e.currentTarget.value)} />
      {!enabled ? <Text c="dimmed" size="sm">{t('search.hint')}</Text> : (
        <>
          <Section title={t('search.incoming')} query={incoming} testId="search-incoming" hits={(incoming.data?.data ?? []).map((d) => ({
            key: d.id, to: `/incoming/${d.id}`, title: incomingTitle(d, t), // a scan not registered yet: what its page says, as in the list
            meta: [d.arrivalNumber ? t('search.arrival', { n: d.arrivalNumber }) : '', [d.number, d.notation].filter(Boolean).join('/'), d.issuerName, date(d.documentDate ?? d.arrivedAt)].filter(Boolean).join(' · '),
            badge: status(`incoming.status.${d.status}`),
          }))} />
          <Section title={t('search.outgoing')} query={outgoing} testId="search-outgoing" hits={(outgoing.data?.data ?? []).map((d) => ({
            key: d.id, to: `/outgoing/${d.id}`, title: d.subject, meta: [d.typeName, d.numberText, d.issuedAt ? date(d.issuedAt) : ''].filter(Boolean).join(' · '),
            badge: status(`outgoing.status.${d.status}`),
          }))} />
          <Section title={t('search.records')} query={files} testId="search-records" hits={(files.data?.data ?? []).slice(0, LIMIT).map((f) => ({
            key: f.id, to: `/records/${f.id}`, title: `${f.notation} — ${f.title}`, meta: [f.ownerName, f.unitName, String(f.year), f.retentionText].filter(Boolean).join(' · '),
            badge: t(`records.status.${f.status as 'open' | 'closed' | 'handed_over'}`),
          }))} />
        </>
      )}
    </Stack>
  );
}

/** One kind of result: a title with how many, then a card per hit (at most 20), or "nothing found". */
function Section({ title, query, hits, testId }: { title: string; query: UseQueryResult; hits: Hit[]; testId: string }): ReactNode {
  const { t } = useI18n();
  return (
    <Stack gap="xs" data-testid={testId}>
      <Title order={3} fz="md">{title}{query.isSuccess && ` (${hits.length >= LIMIT ? `${LIMIT}+` : hits.length})`}</Title>
      {query.isPending ? <LoadingState minHeight={60} /> : query.isError ? <ErrorState error={query.error} onRetry={() => void query.refetch()} />
        : hits.length === 0 ? <Text size="sm" c="dimmed">{t('search.none')}</Text> : hits.map((h) => (
          <Card key={h.key} withBorder radius="md" padding="sm">
            <Group justify="space-between" align="flex-start" gap="xs" wrap="wrap">
              <Stack gap={2} style={{ minWidth: '12rem', flex: '1 1 16rem' }}>
                <Anchor component={Link} to={h.to} fw={600} style={{ overflowWrap: 'anywhere' }}>{h.title}</Anchor>
                <Text size="sm" c="dimmed">{h.meta}</Text>
              </Stack>
              <Badge variant="light" color="gray">{h.badge}</Badge>
            </Group>
          </Card>
        ))}
    </Stack>
  );
}
