import { useState } from 'react';
import { Alert, Badge, Button, Card, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import IconSearch from '@tabler/icons-react/dist/esm/icons/IconSearch.mjs';
import { api, unwrap } from '../../api/client.ts';
import { errorMessage } from '../../api/forms.ts';
import { useI18n, type MessageKey } from '../../i18n/i18n.tsx';
import { LoadingState } from '../../ui/states.tsx';
import { recordsKeys, type DocumentChoice } from './records-api.ts';

/**
 * From an open file: find documents by a word of their trích yếu, số/ký hiệu or sender (the latest ones
 * before anything is typed) and put them in the file one by one, without leaving the file.
 */
export function AddDocumentsModal({ fileId, opened, onClose }: { fileId: string; opened: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const choices = useQuery({
    queryKey: recordsKeys.choices(fileId, q),
    queryFn: () => unwrap(api.records.files[':id']['document-choices'].$get({ param: { id: fileId }, query: q ? { q } : {} })),
    enabled: opened,
    placeholderData: keepPreviousData,
  });
  const list = choices.data?.data ?? [];
  return (
    <Modal opened={opened} onClose={onClose} title={t('records.add.title')} size="lg" centered>
      <Stack gap="sm">
        <TextInput data-autofocus leftSection={<IconSearch size={16} />} placeholder={t('records.add.search')} aria-label={t('records.add.search')}
          value={search} onChange={(e) => setSearch(e.currentTarget.value)} />
        {choices.isPending ? <LoadingState minHeight={80} /> : choices.isError ? <Alert color="red">{errorMessage(choices.error, t)}</Alert>
          : list.length === 0 ? <Text size="sm" c="dimmed" ta="center" py="md">{t(q ? 'records.add.none' : 'records.add.noneYet')}</Text> : (
            <Stack gap="xs" data-testid="records-choices">
              {list.map((d) => <ChoiceRow key={`${d.ownerType}:${d.ownerId}`} fileId={fileId} doc={d} />)}
            </Stack>
          )}
        {!q && list.length > 0 && <Text size="xs" c="dimmed">{t('records.add.latest')}</Text>}
        <Group justify="flex-end"><Button variant="default" onClick={onClose}>{t('records.add.done')}</Button></Group>
      </Stack>
    </Modal>
  );
}

/** One document found: what it is, and "Thêm" — pressed once (the button waits for the server), then "Đã thêm". */
function ChoiceRow({ fileId, doc }: { fileId: string; doc: DocumentChoice }) {
  const { t, date } = useI18n();
  const queryClient = useQueryClient();
  const add = useMutation({
    mutationFn: () => unwrap(api.records.files[':id'].documents.$post({ param: { id: fileId }, json: { ownerType: doc.ownerType, ownerId: doc.ownerId } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: recordsKeys.detail(fileId) }),
  });
  const kind = t(doc.ownerType === 'incoming' ? 'records.doc.incoming' : 'records.doc.outgoing');
  return (
    <Card withBorder radius="md" padding="sm">
      <Group align="flex-start" gap="sm" wrap="wrap">
        <Stack gap={2} style={{ minWidth: '12rem', flex: '1 1 16rem' }}>
          <Text fw={600} size="sm" style={{ overflowWrap: 'anywhere' }}>{doc.subject}</Text>
          <Text size="xs" c="dimmed">{[kind, doc.typeName, doc.number, doc.author, date(doc.documentDate)].filter(Boolean).join(' · ')}</Text>
          <Group gap={4}><Badge size="xs" variant="light" color="gray">{t(`${doc.ownerType}.status.${doc.status}` as MessageKey)}</Badge></Group>
          {add.isError && <Alert color="red" p="xs">{errorMessage(add.error, t)}</Alert>}
        </Stack>
        {add.isSuccess ? <Badge color="teal" variant="light" data-testid="records-choice-added">{t('records.add.added')}</Badge> : (
          <Button size="compact-sm" onClick={() => add.mutate()} loading={add.isPending} disabled={add.isPending}>{t('records.add.one')}</Button>
        )}
      </Group>
    </Card>
  );
}
