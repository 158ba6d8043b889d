import { useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { Alert, Badge, Button, Card, FileInput, Group, Modal, Stack, Tabs, Text, TextInput, useMatches } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import IconSearch from '@tabler/icons-react/dist/esm/icons/IconSearch.mjs';
import IconUpload from '@tabler/icons-react/dist/esm/icons/IconUpload.mjs';
import { api } from '../../api/client.ts';
import { errorMessage } from '../../api/forms.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { hasAnyRole, useSession } from '../../auth/session.ts';
import { ErrorState, LoadingState, PageHeader } from '../../ui/states.tsx';
import { incomingListQuery } from './incoming.queries.ts';
import { INCOMING_BOXES, incomingKeys, incomingTitle, REQUEST_ANSWER_ROLES, uploadFiles, useIncomingCounts, type Box, type IncomingListItem } from './incoming-api.ts';
import { IncomingBadges } from './incoming-badges.tsx';
import { DelegationCard, NoticesCard } from './incoming-side.tsx';
import { PendingRequestsList } from './incoming-requests.tsx';
import { hasIncomingBox } from '../../../../src/domain/incoming/incoming.boxes.ts';
import { RedirectToOwnList } from '../../ui/list-redirect.tsx';


/** Inbox per role, my tasks, my unit's tasks and everything visible, urgent first, with full-text search. */
export default function IncomingListPage() {
  const { t } = useI18n();
  const user = useSession().data?.user;
  // the lists of the user's roles: the server refuses any other (incoming.box_not_allowed)
  const boxes = INCOMING_BOXES.filter((b) => hasIncomingBox(user ?? { roles: [] }, b.box));
  // the sender's recall / update requests are answered by the clerk or a leader (policy incoming.answer_request)
  const canAnswer = !!user && hasAnyRole(user, REQUEST_ANSWER_ROLES);
  // `?box=mine` (the home page's counts link to their list) opens that list when the user has it
  const [params] = useSearchParams();
  const asked = params.get('box');
  const [box, setBox] = useState<Box | 'requests'>(asked === 'requests' && canAnswer ? 'requests' : boxes.find((b) => b.box === asked)?.box ?? boxes[0]?.box ?? 'all');
  // the requests tab's badge: the home page's count (the same query), asked only of those who answer them
  const pending = useIncomingCounts(canAnswer).data?.data.requests?.count ?? 0;
  const [search, setSearch] = useState('');
  const [q, setQ] = useState('');
  const [isUploading, setUploading] = useState(false);
  // beside the «Tìm kiếm» button a phone shows some 30 letters of the hint: the long one stopped at «số ký hiệu, n…»
  const isPhone = useMatches({ base: true, sm: false });
  const list = useQuery({
    ...incomingListQuery(box === 'requests' ? 'all' : box, q),
    enabled: box !== 'requests',
    refetchInterval: 15_000,
  });
  const isClerk = !!user && hasAnyRole(user, ['clerk']);
  // a list the user's roles do not give them (typed, or a stale link): their first list, not what the server refuses
  const isNotTheirs = !!user && (asked === 'requests' ? !canAnswer : INCOMING_BOXES.some((b) => b.box === asked && !boxes.includes(b)));
  if (isNotTheirs) return <RedirectToOwnList to="/incoming" listName={`${t('nav.incoming')} › ${t(boxes[0]?.label ?? 'incoming.box.all')}`} />;
  return (
    <Stack gap="md" maw={1100}>
      <PageHeader title={t('incoming.title')} subtitle={t('incoming.subtitle')}
        actions={isClerk ? <Button leftSection={<IconUpload size={16} />} onClick={() => setUploading(true)}>{t('incoming.receivePaper')}</Button> : undefined} />
      <NoticesCard />
      <form onSubmit={(e) => { e.preventDefault(); setQ(search.trim()); }}>
        <TextInput aria-label={t('app.search')} data-testid="incoming-search" placeholder={t(isPhone ? 'incoming.search.short' : 'incoming.search')} value={search} onChange={(e) => setSearch(e.currentTarget.value)}
          leftSection={<IconSearch size={16} />} rightSectionWidth={100} rightSection={<Button size="xs" type="submit" mr={4}>{t('app.search')}</Button>} />
      </form>
      <BoxTabs value={box} onChange={(v) => setBox(v as Box | 'requests')}>
        {boxes.map((b) => <Tabs.Tab key={b.box} value={b.box}>{t(b.label)}</Tabs.Tab>)}
        {canAnswer && (
          <Tabs.Tab value="requests" rightSection={pending > 0 ? <Badge size="sm" color="red" circle data-testid="pending-requests-count">{pending}</Badge> : undefined}>
            {t('incoming.box.requests')}
          </Tabs.Tab>
        )}
      </BoxTabs>
      {box === 'requests' ? <PendingRequestsList /> : list.isPending ? <LoadingState /> : list.isError ? <ErrorState error={list.error} onRetry={() => void list.refetch()} /> : list.data.data.length === 0 ? (
        <Card withBorder radius="md" py="xl" data-testid="incoming-empty"><Text ta="center" c="dimmed">{t(q ? 'incoming.empty' : `incoming.empty.${box}`)}</Text></Card>
      ) : (
        <Stack gap="xs" data-testid="incoming-list">{list.data.data.map((d) => <IncomingCard key={d.id} doc={d} />)}</Stack>
      )}
      {user && hasAnyRole(user, ['leader']) && <DelegationCard />}
      <UploadScanModal opened={isUploading} onClose={() => setUploading(false)} />
    </Stack>
  );
}

/**
 * The lists as tabs on one line where they fit (a desktop). Where they do not (a unit head's four or five
 * lists on a phone, or a tablet beside the navbar) they become compact chips wrapped onto more rows, so
 * every list and the requests count show without a sideways swipe. One tablist either way (role=tab,
 * arrow keys); the width the one line needed is kept, so the tabs come back when the room is there again.
 */
function BoxTabs({ value, onChange, children }: { value: string; onChange: (value: string) => void; children: ReactNode }) {
  const { t } = useI18n();
  const frame = useRef<HTMLDivElement>(null);
  const [needed, setNeeded] = useState<number>();
  useLayoutEffect(() => {
    const el = frame.current;
    const list = el?.querySelector<HTMLElement>('[role="tablist"]');
    if (!el || !list) return;
    const fit = () => {
      if (needed === undefined && list.scrollWidth > el.clientWidth) setNeeded(list.scrollWidth);
      else if (needed !== undefined && el.clientWidth >= needed) setNeeded(undefined);
    };
    fit();
    // a turned phone, or the requests count appearing, changes what fits
    const observer = new ResizeObserver(fit);
    observer.observe(el);
    observer.observe(list);
    return () => observer.disconnect();
  }, [needed]);
  const wrapped = needed !== undefined;
  return (
    <div ref={frame} data-testid="incoming-boxes" data-wrapped={wrapped || undefined}>
      <Tabs value={value} onChange={(v) => v && onChange(v)} variant={wrapped ? 'pills' : 'default'} radius={wrapped ? 'xl' : undefined}
        // chips: a border shows each is something to tap; the open one is filled
        styles={wrapped ? { tab: { paddingInline: 'var(--mantine-spacing-sm)', border: '1px solid var(--mantine-color-gray-4)' } } : undefined}>
        <Tabs.List aria-label={t('incoming.boxes')} style={wrapped ? { flexWrap: 'wrap', gap: 6 } : { flexWrap: 'nowrap', minWidth: 'max-content' }}>
          {children}
        </Tabs.List>
      </Tabs>
    </div>
  );
}

function IncomingCard({ doc }: { doc: IncomingListItem }) {
  const { t, date, dateTime } = useI18n();
  const notation = [doc.number, doc.notation].filter(Boolean).join('/');
  // a scan not registered yet has no số or sender: its file, what OCR read and when it came in tell it apart
  const isUnregisteredScan = doc.source === 'paper' && doc.status === 'received';
  const guess = doc.ocrGuess;
  const details = isUnregisteredScan
    ? [doc.scanFileName, [guess?.number, guess?.notation].filter(Boolean).join('/'), guess?.issuerName, t('incoming.receivedAt', { at: dateTime(doc.arrivedAt) }), doc.ocrStatus === 'pending' && t('incoming.ocr.pending')]
    : [doc.arrivalNumberText && `${t('incoming.arrivalNumber')} ${doc.arrivalNumberText}`, notation, doc.issuerName, date(doc.arrivedAt)];
  const title = incomingTitle(doc, t);
  return (
    <Card withBorder radius="md" padding="sm" component={Link} to={`/incoming/${doc.id}`} aria-label={`${t('incoming.open')} ${title}`}
      style={{ borderLeft: doc.isOverdue ? '4px solid var(--mantine-color-red-6)' : doc.isUrgent ? '4px solid var(--mantine-color-orange-6)' : undefined }}>
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="xs">
        {/* At least 12rem for the text: on a phone, three badges go below it instead of squeezing it to a word per line. */}
        <Stack gap={2} style={{ minWidth: 0, flex: '1 1 12rem' }}>
          <Text fw={600} lineClamp={2}>{title}</Text>
          <Text size="sm" c="dimmed" style={{ overflowWrap: 'anywhere' }}>{details.filter(Boolean).join(' · ')}</Text>
        </Stack>
        <Stack gap={4} align="flex-start">
          <IncomingBadges doc={doc} />
          {doc.dueDate && <Text size="xs" c={doc.isOverdue ? 'red' : 'dimmed'}>{t('incoming.dueDate')}: {date(doc.dueDate)}</Text>}
        </Stack>
      </Group>
    </Card>
  );
}

function UploadScanModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [files, setFiles] = useState<File[]>([]);
  const upload = useMutation({
    mutationFn: () => uploadFiles((init) => api.incoming.scan.$post(undefined, { init }), files),
    onSuccess: (res) => {
      void queryClient.invalidateQueries({ queryKey: incomingKeys.all });
      onClose();
      setFiles([]);
      void navigate(`/incoming/${res.data.id}`);
    },
  });
  return (
    <Modal opened={opened} onClose={onClose} title={t('incoming.upload.title')} centered>
      <Stack>
        <Text size="sm" c="dimmed">{t('incoming.upload.help')}</Text>
        <FileInput multiple label={t('incoming.upload.files')} accept="application/pdf,image/jpeg,image/png,image/tiff" value={files} onChange={setFiles} clearable />
        {upload.isError && <Alert color="red">{errorMessage(upload.error, t)}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>{t('app.cancel')}</Button>
          <Button onClick={() => upload.mutate()} loading={upload.isPending} disabled={files.length === 0}>{t('incoming.upload.submit')}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
