import { useState } from 'react';
import { Alert, Button, Checkbox, Group, Modal, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client.ts';
import { errorMessage } from '../../api/forms.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { VnDateInput } from '../documents/vn-date-input.tsx';
import { recordsKeys, type RecordsFileDetail } from './records-api.ts';

/**
 * A construction file (hồ sơ xây dựng cơ bản, ND 30 Art. 30.2.a: handed over within 03 months of the works' final
 * settlement): the line saying so, and for its keeper or the clerk the form that marks it, with the settlement date.
 */
export function ConstructionLine({ d }: { d: RecordsFileDetail }) {
  const { t, date } = useI18n();
  const [isEditing, setEditing] = useState(false);
  const canSet = d.can['records.file.construction'] ?? false;
  const c = d.construction;
  if (!c.isConstruction && !canSet) return null;
  return (
    <Group gap="xs" data-testid="records-construction">
      {c.isConstruction && <Text size="sm">{c.settledOn ? t('records.construction.settled', { date: date(c.settledOn) }) : t('records.construction.unsettled')}</Text>}
      {canSet && <Button size="compact-sm" variant="subtle" onClick={() => setEditing(true)} data-testid="records-construction-edit">{t(c.isConstruction ? 'records.construction.change' : 'records.construction.mark')}</Button>}
      {canSet && <ConstructionModal d={d} opened={isEditing} onClose={() => setEditing(false)} />}
    </Group>
  );
}

function ConstructionModal({ d, opened, onClose }: { d: RecordsFileDetail; opened: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [isConstruction, setConstruction] = useState(true);
  const [settledOn, setSettledOn] = useState(d.construction.settledOn ?? '');
  const save = useMutation({
    mutationFn: () => unwrap(api.records.files[':id'].construction.$put({ param: { id: d.file.id }, json: { isConstruction, settledOn: isConstruction && settledOn ? settledOn : null } })),
    onSuccess: () => {
      onClose();
      void queryClient.invalidateQueries({ queryKey: recordsKeys.all });
    },
  });
  return (
    <Modal opened={opened} onClose={onClose} title={t('records.construction.title')} centered>
      <Stack>
        <Text size="sm">{t('records.construction.rule')}</Text>
        <Checkbox label={t('records.construction.is')} checked={isConstruction} onChange={(e) => setConstruction(e.currentTarget.checked)} data-testid="records-construction-is" />
        {isConstruction && <VnDateInput label={t('records.construction.settledOn')} description={t('records.construction.settledOnHelp')} value={settledOn} onChange={setSettledOn}
          invalidMessage={t('doc.date.invalid')} data-testid="records-construction-date" />}
        {save.isError && <Alert color="red">{errorMessage(save.error, t)}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>{t('app.cancel')}</Button>
          <Button onClick={() => save.mutate()} loading={save.isPending} data-testid="records-construction-save">{t('records.save')}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
