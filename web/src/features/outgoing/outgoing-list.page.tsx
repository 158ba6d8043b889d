import { useState } from 'react';
import { Link, useLocation } from 'react-router';
import { Badge, Button, Card, Checkbox, Group, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import IconPlus from '@tabler/icons-react/dist/esm/icons/IconPlus.mjs';
import IconSearch from '@tabler/icons-react/dist/esm/icons/IconSearch.mjs';
import IconSignature from '@tabler/icons-react/dist/esm/icons/IconSignature.mjs';
import { api } from '../../api/client.ts';
import { hasAnyRole, useSession } from '../../auth/session.ts';
import { useI18n, hasKey } from '../../i18n/i18n.tsx';
import { ErrorState, LoadingState, PageHeader } from '../../ui/states.tsx';
import { SecrecyBadge, StatusBadge, UrgencyBadge } from '../documents/document-badges.tsx';
import { outgoingListQuery } from './outgoing.queries.ts';
import { STATUS_TONE, recipientAnswers, type OutgoingItem } from './outgoing-api.ts';
import { BOXES, DRAFTER_ROLES, outgoingHomeLabel, outgoingHomeOf, type Box } from './outgoing-routes.ts';
import { RedirectToOwnList } from '../../ui/list-redirect.tsx';
import { SignModal, type SignTarget } from './sign-modal.tsx';

/** The work list named by the address (/outgoing/drafts, /review, /signature, /to-issue, /issued). */
export default function OutgoingBoxPage() {
  const { t } = useI18n();
  const { pathname } = useLocation();
  const user = useSession().data?.user;
  const box = (Object.keys(BOXES) as Box[]).find((b) => pathname.startsWith(BOXES[b].path)) ?? 'drafts';
  // a list the user's roles do not give them (the server's OUTGOING_BOX_ROLES): their own list, not a 403
  if (user && !hasAnyRole(user, BOXES[box].roles)) {
    const home = outgoingHomeOf(user);
    const title = t(outgoingHomeLabel(home));
    return <RedirectToOwnList to={home} listName={home.startsWith('/outgoing/') ? `${t('nav.section.outgoing')} › ${title}` : title} />;
  }
  return <OutgoingListPage key={box} box={box} />;
}

/** One work list of outgoing documents; the "waiting for my signature" list signs many at once with one PIN. */
export function OutgoingListPage({ box }: { box: Box }) {
  const { t } = useI18n();
  const user = useSession().data?.user;
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 300);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [signing, setSigning] = useState<SignTarget[] | null>(null);
  const list = useQuery({
    ...outgoingListQuery(box, debounced),
    refetchInterval: 30_000,
  });
  const rows = list.data?.data ?? [];
  const isBatch = box === 'signature';
  const chosen = rows.filter((r) => selected.has(r.id));
  const toggle = (id: string) => setSelected((s) => { const n = new Set(s); if (n.has(id)) n.delete(id); else n.add(id); return n; });
  const allChosen = rows.length > 0 && chosen.length === rows.length;
  const canCreate = box === 'drafts' && !!user && hasAnyRole(user, DRAFTER_ROLES);
  return (
    <Stack gap="md" maw={1100}>
      <PageHeader title={t(BOXES[box].label)} subtitle={t(BOXES[box].help)}
        actions={canCreate ? <Button component={Link} to="/outgoing/new" leftSection={<IconPlus size={18} />}>{t('outgoing.create')}</Button> : undefined} />
      <TextInput leftSection={<IconSearch size={16} />} placeholder={t('outgoing.search')} aria-label={t('outgoing.search')} value={search} onChange={(e) => setSearch(e.currentTarget.value)} />
      {isBatch && rows.length > 0 && (
        <Card withBorder radius="md" padding="sm" style={{ position: 'sticky', top: 68, zIndex: 5 }}>
          <Group justify="space-between" gap="sm">
            <Checkbox label={t('outgoing.selectAll', { count: rows.length })} checked={allChosen} indeterminate={chosen.length > 0 && !allChosen}
              onChange={() => setSelected(allChosen ? new Set() : new Set(rows.map((r) => r.id)))} />
            <Button leftSection={<IconSignature size={18} />} disabled={chosen.length === 0} data-testid="batch-sign"
              onClick={() => setSigning(chosen.map((d) => ({ id: d.id, subject: d.subject })))}>
              {chosen.length === 0 ? t('outgoing.sign.submitChosen') : t('outgoing.sign.submitMany', { count: chosen.length })}
            </Button>
          </Group>
        </Card>
      )}
      {list.isPending ? <LoadingState /> : list.isError ? <ErrorState error={list.error} onRetry={() => void list.refetch()} /> : rows.length === 0 ? (
        <Card withBorder radius="md" py="xl" data-testid="outgoing-empty"><Text ta="center" c="dimmed">{t(debounced ? 'outgoing.empty' : `outgoing.empty.${box}`)}</Text></Card>
      ) : (
        <Stack gap="xs" data-testid="outgoing-list">
          {rows.map((d) => <OutgoingCard key={d.id} doc={d} isChecked={isBatch ? selected.has(d.id) : undefined} onToggle={() => toggle(d.id)} />)}
        </Stack>
      )}
      <SignModal docs={signing} onClose={() => { setSigning(null); setSelected(new Set()); }} />
    </Stack>
  );
}

/**
 * How the recipients stand, on a card: how many got the document — or, once it was recalled, from how many
 * it was taken back (the page lists each one's answer), with those that refused to give it back; an
 * update's answers follow the received count.
 */
function RecipientsBadge({ doc }: { doc: OutgoingItem }) {
  const { t } = useI18n();
  const n = doc.recipientCounts;
  const answers = recipientAnswers(doc.status, n, t);
  const received = (
    <Badge size="sm" variant="light" color={n.refused > 0 ? 'red' : n.delivered === n.total ? 'teal' : 'gray'} data-testid="received-count">
      {t('outgoing.recipients.received', { count: n.delivered, total: n.total })}
    </Badge>
  );
  if (!answers) return received;
  const answered = (
    <Badge size="sm" variant="light" color={answers.color} data-testid="recipient-answers">
      {answers.text}
    </Badge>
  );
  return doc.status === 'recalled' ? answered : <>{received}{answered}</>;
}

/** A document in a list: trích yếu, number or type, status and urgency; a checkbox when the list signs in batches. */
export function OutgoingCard({ doc, isChecked, onToggle }: { doc: OutgoingItem; isChecked?: boolean; onToggle?: () => void }) {
  const { t, date } = useI18n();
  const statusKey = `outgoing.status.${doc.status}`;
  return (
    <Card withBorder radius="md" padding="sm" data-testid="outgoing-row"
      style={{ borderLeft: doc.urgency !== 'thuong' ? '4px solid var(--mantine-color-orange-6)' : undefined }}>
      <Group wrap="nowrap" align="flex-start" gap="sm">
        {isChecked !== undefined && <Checkbox checked={isChecked} onChange={onToggle} aria-label={`${t('outgoing.select')}: ${doc.subject}`} mt={2} />}
        <Stack gap={2} style={{ minWidth: 0, flex: 1 }}>
          <Text component={Link} to={`/outgoing/${doc.id}`} fw={600} c="navy" td="none" lineClamp={2} style={{ overflowWrap: 'anywhere' }}>{doc.subject}</Text>
          <Text size="sm" c="dimmed">{[doc.numberText, doc.typeName, date(doc.issuedAt ?? doc.updatedAt)].filter(Boolean).join(' · ')}</Text>
          <Group gap={6} mt={2}>
            <StatusBadge label={hasKey(statusKey) ? t(statusKey) : doc.status} tone={STATUS_TONE[doc.status] ?? 'neutral'} />
            <UrgencyBadge code={doc.urgency} name={doc.urgencyName} />
            <SecrecyBadge isSecret={doc.isSecret} name={doc.secrecyName} />
            {doc.issuedAt && doc.recipientCounts.total > 0 && <RecipientsBadge doc={doc} />}
          </Group>
        </Stack>
      </Group>
    </Card>
  );
}
