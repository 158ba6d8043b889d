import { useState, type ReactNode } from 'react';
import { ActionIcon, Alert, Button, Card, Group, Modal, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import IconBookmark from '@tabler/icons-react/dist/esm/icons/IconBookmark.mjs';
import IconX from '@tabler/icons-react/dist/esm/icons/IconX.mjs';
import { api, unwrap } from '../api/client.ts';
import { errorMessage } from '../api/forms.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { isSearchAsked, type TSearchQuery } from '../../../src/domain/search/search.schemas.ts';

const KEY = ['search', 'saved'];

/**
 * The user's saved searches (ND 30 Phụ lục VI III.6.e): each runs with a click and is deleted with its ×;
 * «Lưu tìm kiếm» names the current one. Only the user's own are listed.
 */
export function SavedSearches({ search, onRun }: { search: TSearchQuery; onRun: (query: TSearchQuery) => void }): ReactNode {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const saved = useQuery({ queryKey: KEY, queryFn: () => unwrap(api.search.saved.$get()) });
  const remove = useMutation({
    mutationFn: (id: string) => unwrap(api.search.saved[':id'].$delete({ param: { id } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: KEY }),
  });
  const [naming, setNaming] = useState(false);
  const items = saved.data?.data ?? [];
  return (
    <Card withBorder radius="md" padding="sm" data-testid="search-saved">
      <Stack gap="xs">
        <Group justify="space-between" gap="xs" wrap="wrap">
          <Title order={3} fz="sm">{t('search.saved.title')}</Title>
          <Button size="compact-sm" variant="light" leftSection={<IconBookmark size={16} />} disabled={!isSearchAsked(search)} onClick={() => setNaming(true)}>{t('search.saved.save')}</Button>
        </Group>
        {saved.isError ? <Alert color="red" p="xs">{errorMessage(saved.error, t)}</Alert>
          : items.length === 0 ? <Text size="sm" c="dimmed">{saved.isPending ? '…' : t('search.saved.none')}</Text> : (
            <Group gap={6} wrap="wrap">
              {items.map((s) => (
                <Group key={s.id} gap={0} wrap="nowrap" style={{ maxWidth: '100%' }} data-testid="search-saved-item">
                  <Button size="compact-sm" variant="default" onClick={() => onRun(s.query)} styles={{ root: { maxWidth: 'calc(100% - 28px)' }, label: { overflow: 'hidden', textOverflow: 'ellipsis' } }}
                    style={{ borderTopRightRadius: 0, borderBottomRightRadius: 0 }}>{s.name}</Button>
                  <ActionIcon size={26} variant="default" aria-label={t('search.saved.delete', { name: s.name })} loading={remove.isPending && remove.variables === s.id}
                    onClick={() => remove.mutate(s.id)} style={{ borderTopLeftRadius: 0, borderBottomLeftRadius: 0, borderLeft: 0 }}><IconX size={14} /></ActionIcon>
                </Group>
              ))}
            </Group>
          )}
        {remove.isError && <Alert color="red" p="xs">{errorMessage(remove.error, t)}</Alert>}
      </Stack>
      {naming && <SaveModal search={search} onClose={() => setNaming(false)} />}
    </Card>
  );
}

/** Names the current search and saves it; a name already used or the 50th search answers with the server's message. */
function SaveModal({ search, onClose }: { search: TSearchQuery; onClose: () => void }): ReactNode {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [name, setName] = useState(search.q ?? '');
  const save = useMutation({
    mutationFn: () => unwrap(api.search.saved.$post({ json: { name: name.trim(), query: search } })),
    onSuccess: () => { void queryClient.invalidateQueries({ queryKey: KEY }); onClose(); },
  });
  return (
    <Modal opened onClose={onClose} title={t('search.saved.save')} centered>
      <form onSubmit={(e) => { e.preventDefault(); save.mutate(); }}>
        <Stack gap="sm">
          <TextInput label={t('search.saved.name')} data-autofocus required maxLength={100} value={name} onChange={(e) => setName(e.currentTarget.value)} />
          {save.isError && <Alert color="red" p="xs">{errorMessage(save.error, t)}</Alert>}
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={onClose}>{t('search.saved.cancel')}</Button>
            <Button type="submit" loading={save.isPending} disabled={name.trim() === ''}>{t('search.saved.confirm')}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
