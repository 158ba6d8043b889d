import { useState } from 'react';
import { Alert, Badge, Button, Card, Group, Modal, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import IconPlus from '@tabler/icons-react/dist/esm/icons/IconPlus.mjs';
import IconDownload from '@tabler/icons-react/dist/esm/icons/IconDownload.mjs';
import { api, unwrap } from '../../api/client.ts';
import { errorMessage } from '../../api/forms.ts';
import { yearInVietnam } from '../../i18n/format.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { ErrorState, LoadingState, PageHeader } from '../../ui/states.tsx';
import { fetchDirectory, incomingKeys } from '../incoming/incoming-api.ts';
import { fetchPlan, recordsKeys, retentionLabel, RETENTIONS, type PlanEntry, type Retention } from './records-api.ts';

/** The agency's file plan of a year (Danh mục hồ sơ, Phụ lục V): entries by heading, with the plan's footer counts. Clerks and admins. */
export default function RecordsPlanPage() {
  const { t } = useI18n();
  const [year, setYear] = useState(yearInVietnam());
  const [editing, setEditing] = useState<PlanEntry | 'new' | null>(null);
  const plan = useQuery({ queryKey: recordsKeys.plan(year), queryFn: () => fetchPlan(year) });
  const years = Array.from({ length: 5 }, (_, i) => String(yearInVietnam() + 1 - i));
  const entries = plan.data?.data.entries ?? [];
  const headings = [...new Set(entries.map((e) => e.heading))];
  return (
    <Stack gap="md" maw={1100}>
      <PageHeader title={t('records.plan.title')} subtitle={t('records.plan.subtitle')}
        actions={<Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>{t('records.plan.add')}</Button>} />
      <Group gap="sm" justify="space-between">
        <Select aria-label={t('records.year')} w={120} data={years} value={String(year)} onChange={(v) => v && setYear(Number(v))} allowDeselect={false} />
        {entries.length > 0 && (
          <Group gap="xs">
            <Button component="a" href={`/api/records/plan/export?year=${year}`} size="compact-sm" variant="light" leftSection={<IconDownload size={14} />} data-testid="records-plan-pdf">{t('records.plan.print')}</Button>
            <Button component="a" href={`/api/records/plan/export?year=${year}&format=xlsx`} size="compact-sm" variant="default">XLSX</Button>
          </Group>
        )}
      </Group>
      {plan.isPending ? <LoadingState /> : plan.isError ? <ErrorState error={plan.error} onRetry={() => void plan.refetch()} /> : entries.length === 0 ? (
        <Card withBorder radius="md" py="xl">
          <Stack align="center" gap="sm">
            <Text ta="center" c="dimmed">{t('records.plan.empty', { year })}</Text>
            <CopyPlanButton toYear={year} />
          </Stack>
        </Card>
      ) : (
        <Stack gap="md" data-testid="records-plan">
          {headings.map((h) => (
            <Stack key={h} gap="xs">
              {h && <Title order={3} fz="md">{h}</Title>}
              {entries.filter((e) => e.heading === h).map((e) => <EntryCard key={e.id} entry={e} onEdit={() => setEditing(e)} />)}
            </Stack>
          ))}
          <Text size="sm" c="dimmed" fs="italic">{t('records.plan.totals', plan.data.data.totals)}</Text>
        </Stack>
      )}
      {editing && <EntryModal year={year} entry={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </Stack>
  );
}

/** Starts an empty year's plan from the year before (entries copied, the year in their titles moved along). */
function CopyPlanButton({ toYear }: { toYear: number }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const copy = useMutation({
    mutationFn: () => unwrap(api.records.plan.copy.$post({ json: { fromYear: toYear - 1, toYear } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: recordsKeys.all }),
  });
  return (
    <>
      <Button variant="light" onClick={() => copy.mutate()} loading={copy.isPending}>{t('records.plan.copy', { year: toYear - 1 })}</Button>
      {copy.isSuccess && copy.data.data.copied === 0 && <Text size="sm" c="dimmed">{t('records.plan.copyNone', { year: toYear - 1 })}</Text>}
      {copy.isError && <Alert color="red">{errorMessage(copy.error, t)}</Alert>}
    </>
  );
}

function EntryCard({ entry, onEdit }: { entry: PlanEntry; onEdit: () => void }) {
  const { t } = useI18n();
  return (
    <Card withBorder radius="md" padding="sm">
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="xs">
        <Stack gap={2} style={{ minWidth: 0, flex: '1 1 240px' }}>
          <Text fw={600} style={{ overflowWrap: 'anywhere' }}>{entry.notation} — {entry.title}</Text>
          <Text size="sm" c="dimmed">{[retentionLabel(t, entry.retention), entry.unitName, entry.ownerName ?? t('records.plan.anyone'), entry.note].filter(Boolean).join(' · ')}</Text>
        </Stack>
        <Group gap={6}>
          <Badge variant="light" color={entry.fileId ? 'teal' : 'gray'}>{entry.fileId ? t('records.plan.opened') : t('records.plan.notOpened')}</Badge>
          <Button size="compact-sm" variant="light" onClick={onEdit} aria-label={`${t('records.plan.edit')} ${entry.notation}`}>{t('records.plan.editShort')}</Button>
        </Group>
      </Group>
    </Card>
  );
}

/** Adds or edits one entry: heading, số/ký hiệu, title, retention, unit and person; deletes one no file was opened from. */
function EntryModal({ year, entry, onClose }: { year: number; entry: PlanEntry | null; onClose: () => void }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const directory = useQuery({ queryKey: incomingKeys.directory, queryFn: fetchDirectory });
  const [v, setV] = useState({
    heading: entry?.heading ?? '', notation: entry?.notation ?? '', title: entry?.title ?? '', retention: (entry?.retention ?? '10') as Retention,
    unitId: entry?.unitId ?? null, ownerId: entry?.ownerId ?? null, note: entry?.note ?? '',
  });
  const set = (patch: Partial<typeof v>) => setV((old) => ({ ...old, ...patch }));
  const done = () => {
    void queryClient.invalidateQueries({ queryKey: recordsKeys.all });
    onClose();
  };
  const save = useMutation({
    mutationFn: () => {
      const json = { ...v, year };
      return entry ? unwrap(api.records.plan[':id'].$put({ param: { id: entry.id }, json })) : unwrap(api.records.plan.$post({ json }));
    },
    onSuccess: done,
  });
  const remove = useMutation({ mutationFn: () => unwrap(api.records.plan[':id'].$delete({ param: { id: entry?.id ?? '' } })), onSuccess: done });
  const units = (directory.data?.data.units ?? []).map((u) => ({ value: u.id, label: u.name }));
  const people = (directory.data?.data.users ?? []).map((u) => ({ value: u.id, label: u.position ? `${u.fullName} — ${u.position}` : u.fullName }));
  const error = save.error ?? remove.error;
  const [isDeleting, setDeleting] = useState(false);
  return (
    <Modal opened onClose={onClose} title={entry ? t('records.plan.edit') : t('records.plan.add')} centered size="lg">
      <Stack>
        <TextInput label={t('records.plan.heading')} description={t('records.plan.heading.help')} maxLength={200} value={v.heading} onChange={(e) => set({ heading: e.currentTarget.value })} />
        <TextInput label={t('records.notation')} description={t('records.notation.help')} maxLength={20} required value={v.notation} onChange={(e) => set({ notation: e.currentTarget.value })} />
        <TextInput label={t('records.fileTitle')} maxLength={500} required value={v.title} onChange={(e) => set({ title: e.currentTarget.value })} />
        <Select label={t('records.retention')} value={v.retention} onChange={(r) => r && set({ retention: r as Retention })} allowDeselect={false}
          data={RETENTIONS.map((r) => ({ value: r, label: retentionLabel(t, r) }))} />
        <Select label={t('records.unit')} data={units} value={v.unitId} onChange={(unitId) => set({ unitId })} clearable searchable />
        <Select label={t('records.owner')} data={people} value={v.ownerId} onChange={(ownerId) => set({ ownerId })} clearable searchable />
        <TextInput label={t('records.description')} maxLength={500} value={v.note} onChange={(e) => set({ note: e.currentTarget.value })} />
        {error && <Alert color="red">{errorMessage(error, t)}</Alert>}
        {entry && isDeleting && (
          <Alert color="red" variant="light">
            <Group justify="space-between" gap="xs">
              <Text size="sm">{t('records.plan.deleteConfirm', { title: entry.title })}</Text>
              <Button size="compact-sm" color="red" loading={remove.isPending} onClick={() => remove.mutate()}>{t('records.plan.delete')}</Button>
            </Group>
          </Alert>
        )}
        <Group justify="space-between">
          {entry && !entry.fileId ? (
            <Button variant="subtle" color="red" onClick={() => setDeleting(true)} disabled={isDeleting}>{t('records.plan.delete')}</Button>
          ) : <span />}
          <Group gap="sm">
            <Button variant="default" onClick={onClose}>{t('app.cancel')}</Button>
            <Button onClick={() => save.mutate()} loading={save.isPending} disabled={!v.notation.trim() || !v.title.trim()}>{t('records.save')}</Button>
          </Group>
        </Group>
      </Stack>
    </Modal>
  );
}
