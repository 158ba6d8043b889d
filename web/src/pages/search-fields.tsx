import { useEffect, useState, type ReactNode } from 'react';
import { Button, Checkbox, Popover, Stack, Text } from '@mantine/core';
import IconColumns from '@tabler/icons-react/dist/esm/icons/IconColumns.mjs';
import { useSession } from '../auth/session.ts';
import { useI18n, type MessageKey } from '../i18n/i18n.tsx';
import { SEARCH_FIELDS, SEARCH_KINDS } from '../../../src/domain/search/search.schemas.ts';

/** The result fields a user hides (`kind.field`), remembered per user in this browser (ND 30 Phụ lục VI III.6.đ). */
export function useHiddenFields(): [ReadonlySet<string>, (next: ReadonlySet<string>) => void] {
  const session = useSession();
  const key = `vanthu.search.hidden.${session.data?.user.id ?? ''}`;
  const read = () => {
    try {
      const saved: unknown = JSON.parse(localStorage.getItem(key) ?? '[]');
      return new Set(Array.isArray(saved) ? saved.filter((x): x is string => typeof x === 'string') : []);
    } catch {
      return new Set<string>(); // a hand-edited or foreign value: show everything
    }
  };
  const [hidden, setHidden] = useState<ReadonlySet<string>>(read);
  useEffect(() => setHidden(read()), [key]);
  return [hidden, (next) => {
    localStorage.setItem(key, JSON.stringify([...next]));
    setHidden(next);
  }];
}

/** «Trường hiển thị»: a box per field of each kind; unticked fields leave the results and the export. */
export function FieldsMenu({ hidden, onChange }: { hidden: ReadonlySet<string>; onChange: (next: ReadonlySet<string>) => void }): ReactNode {
  const { t } = useI18n();
  const toggle = (id: string, shown: boolean) => {
    const next = new Set(hidden);
    if (shown) next.delete(id);
    else next.add(id);
    onChange(next);
  };
  return (
    <Popover position="bottom-end" withinPortal shadow="md">
      <Popover.Target>
        <Button variant="subtle" size="compact-sm" leftSection={<IconColumns size={16} />} data-testid="search-fields">{t('search.fields')}</Button>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap="xs" data-testid="search-fields-panel">
          {SEARCH_KINDS.map((kind) => (
            <Stack key={kind} gap={4}>
              <Text size="xs" fw={700} c="dimmed">{t(`search.kind.${kind}`)}</Text>
              {SEARCH_FIELDS[kind].map((field) => (
                <Checkbox key={field} size="xs" label={t(`search.field.${kind}.${field}` as MessageKey)} checked={!hidden.has(`${kind}.${field}`)}
                  onChange={(e) => toggle(`${kind}.${field}`, e.currentTarget.checked)} />
              ))}
            </Stack>
          ))}
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
