import { Button, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client.ts';
import { errorMessage } from '../../api/forms.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { incomingKeys } from './incoming-api.ts';

/**
 * «Kiểm tra lại chữ ký số» beside a received document's verdict: its signatures are checked again with the
 * install's trusted roots as they are now (a root added since). The page polls while the check runs.
 */
export function RecheckSignaturesButton({ id }: { id: string }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const recheck = useMutation({
    mutationFn: () => unwrap(api.incoming[':id'].verify.$post({ param: { id } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: incomingKeys.detail(id) }),
  });
  return (
    <>
      <Button size="compact-xs" variant="subtle" loading={recheck.isPending} onClick={() => recheck.mutate()} data-testid="verify-recheck">
        {t('incoming.verify.recheck')}
      </Button>
      {recheck.error && <Text size="xs" c="red">{errorMessage(recheck.error, t)}</Text>}
    </>
  );
}
