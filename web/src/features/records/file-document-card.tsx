import { useState } from 'react';
import { Link } from 'react-router';
import { Alert, Anchor, Badge, Button, Card, Group, Select, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import IconFolderPlus from '@tabler/icons-react/dist/esm/icons/IconFolderPlus.mjs';
import { api, unwrap } from '../../api/client.ts';
import { errorMessage } from '../../api/forms.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { recordsKeys, STATUS_COLOR, type DocumentRef, type FileStatus } from './records-api.ts';

/**
 * On a document's page: the work files holding it, and "Đưa vào hồ sơ" into one of the user's open files
 * (a clerk: any open file of the agency). Shown for registered incoming and issued outgoing documents.
 */
export function FileDocumentCard({ ownerType, ownerId }: DocumentRef) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const ref = { ownerType, ownerId };
  const info = useQuery({ queryKey: recordsKeys.forDocument(ref), queryFn: () => unwrap(api.records['for-document'].$get({ query: ref })) });
  const [fileId, setFileId] = useState<string | null>(null);
  const add = useMutation({
    mutationFn: (id: string) => unwrap(api.records.files[':id'].documents.$post({ param: { id }, json: ref })),
    onSuccess: () => {
      setFileId(null);
      void queryClient.invalidateQueries({ queryKey: recordsKeys.all });
    },
  });
  const d = info.data?.data;
  if (!d || (!d.isFileable && d.files.length === 0)) return null;
  return (
    <Card withBorder radius="md" data-testid="file-document-card">
      <Stack gap="xs">
        <Title order={3} fz="md">{t('records.inFiles')}</Title>
        {d.files.length === 0 ? <Text size="sm" c="dimmed">{t('records.inNoFile')}</Text> : d.files.map((f) => (
          <Group key={f.id} gap={6} wrap="nowrap" align="flex-start">
            <Anchor component={Link} to={`/records/${f.id}`} size="sm" style={{ overflowWrap: 'anywhere', flex: 1 }}>{f.notation} — {f.title} ({f.year})</Anchor>
            <Badge size="sm" variant="light" color={STATUS_COLOR[f.status] ?? 'gray'}>{t(`records.status.${f.status as FileStatus}`)}</Badge>
          </Group>
        ))}
        {d.isFileable && (d.openFiles.length === 0 ? (
          // the open files already holding it are left out of the choice: «no open file» would contradict the list above
          <Text size="sm" c="dimmed" data-testid="no-file-to-choose">{t(d.files.some((f) => f.status === 'open') ? 'records.noOtherOpenFile' : 'records.noOpenFile')} <Anchor component={Link} to="/records" size="sm">{t('records.openFileLink')}</Anchor></Text>
        ) : (
          <Group gap="xs" align="flex-end" wrap="wrap">
            <Select style={{ flex: '1 1 200px' }} size="sm" aria-label={t('records.chooseFile')} placeholder={t('records.chooseFile')} value={fileId} onChange={setFileId}
              data={d.openFiles.map((f) => ({ value: f.id, label: `${f.notation} — ${f.title}` }))} searchable />
            <Button size="sm" leftSection={<IconFolderPlus size={16} />} disabled={!fileId} loading={add.isPending}
              onClick={() => fileId && add.mutate(fileId)} data-testid="add-to-file">{t('records.addToFile')}</Button>
          </Group>
        ))}
        {add.isError && <Alert color="red">{errorMessage(add.error, t)}</Alert>}
        {add.isSuccess && <Text size="sm" c="teal">{t('records.added')}</Text>}
      </Stack>
    </Card>
  );
}
