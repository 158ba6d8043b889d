import { useState } from 'react';
import { Badge, Button, Card, Code, EmptyState, Group, Modal, ScrollArea, Stack, Table, Tabs, Text, UnstyledButton } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { InferResponseType } from 'hono/client';
import IconMail from '@tabler/icons-react/dist/esm/icons/IconMail.mjs';
import IconDownload from '@tabler/icons-react/dist/esm/icons/IconDownload.mjs';
import { api, unwrap } from '../api/client.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { ErrorState, LoadingState, PageHeader } from '../ui/states.tsx';
import { readableEmlBody } from './eml.ts';

type Mail = InferResponseType<typeof api.admin.outbox.$get, 200>['data'][number];

/** Agency admins: mail the system sent (kept as .eml files when no SMTP server is configured), and each message's source. */
export default function OutboxPage() {
  const { t, dateTime } = useI18n();
  const mails = useQuery({ queryKey: ['outbox'], queryFn: () => unwrap(api.admin.outbox.$get()) });
  const [open, setOpen] = useState<Mail | null>(null);
  const rows = mails.data?.data ?? [];
  return (
    <Stack gap={0} maw={1100}>
      <PageHeader title={t('outbox.title')} subtitle={t('outbox.subtitle')} />
      {mails.isPending ? <LoadingState /> : mails.isError ? <ErrorState error={mails.error} onRetry={() => void mails.refetch()} /> : rows.length === 0 ? (
        <Card withBorder radius="md" py="xl"><EmptyState icon={<IconMail size={32} />} title={t('outbox.empty')} description={t('outbox.empty.help')} /></Card>
      ) : (
        <Card withBorder radius="md" p={0}>
          <Table.ScrollContainer minWidth={640}>
            <Table verticalSpacing="sm" horizontalSpacing="md" highlightOnHover>
              <Table.Thead>
                <Table.Tr><Table.Th>{t('outbox.at')}</Table.Th><Table.Th>{t('outbox.to')}</Table.Th><Table.Th>{t('outbox.subject')}</Table.Th><Table.Th>{t('outbox.status')}</Table.Th></Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((m) => (
                  <Table.Tr key={m.id}>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}><Text size="sm">{dateTime(m.createdAt)}</Text></Table.Td>
                    <Table.Td><Text size="sm">{m.toAddress}</Text></Table.Td>
                    <Table.Td>
                      {m.fileName ? (
                        <UnstyledButton onClick={() => setOpen(m)} aria-label={`${t('outbox.open')}: ${m.subject}`}>
                          <Text size="sm" c="navy.8" td="underline">{m.subject}</Text>
                        </UnstyledButton>
                      ) : <Text size="sm">{m.subject}</Text>}
                    </Table.Td>
                    <Table.Td><Badge variant="light" color={m.transport === 'smtp' ? 'teal' : 'gray'}>{m.transport}</Badge></Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Card>
      )}
      <MailModal mail={open} onClose={() => setOpen(null)} />
    </Stack>
  );
}

function MailModal({ mail, onClose }: { mail: Mail | null; onClose: () => void }) {
  const { t, dateTime } = useI18n();
  const body = useQuery({
    queryKey: ['outbox', mail?.id],
    queryFn: () => unwrap(api.admin.outbox[':id'].$get({ param: { id: mail?.id ?? '' } })),
    enabled: mail !== null,
  });
  const download = () => {
    if (!body.data) return;
    const url = URL.createObjectURL(new Blob([body.data.data.eml], { type: 'message/rfc822' }));
    const a = Object.assign(document.createElement('a'), { href: url, download: body.data.data.fileName ?? 'mail.eml' });
    a.click();
    URL.revokeObjectURL(url);
  };
  return (
    <Modal opened={mail !== null} onClose={onClose} size="xl" centered title={<Text fw={600} lineClamp={1}>{mail?.subject}</Text>}>
      <Stack>
        <Group justify="space-between">
          <Text size="sm" c="dimmed">{mail?.toAddress} · {dateTime(mail?.createdAt)}</Text>
          <Button size="xs" variant="default" leftSection={<IconDownload size={16} />} onClick={download} disabled={!body.data}>{t('outbox.download')}</Button>
        </Group>
        {body.isPending ? <LoadingState minHeight={120} /> : body.isError ? <ErrorState error={body.error} onRetry={() => void body.refetch()} /> : (
          <Tabs defaultValue={readableEmlBody(body.data.data.eml) === null ? 'raw' : 'text'} keepMounted={false}>
            <Tabs.List>
              {readableEmlBody(body.data.data.eml) !== null && <Tabs.Tab value="text">{t('outbox.text')}</Tabs.Tab>}
              <Tabs.Tab value="raw">{t('outbox.raw')}</Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="text" pt="sm">
              <ScrollArea.Autosize mah="60vh"><Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{readableEmlBody(body.data.data.eml)}</Text></ScrollArea.Autosize>
            </Tabs.Panel>
            <Tabs.Panel value="raw" pt="sm">
              <ScrollArea.Autosize mah="60vh"><Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>{body.data.data.eml}</Code></ScrollArea.Autosize>
            </Tabs.Panel>
          </Tabs>
        )}
      </Stack>
    </Modal>
  );
}
