import { Badge, Code, Group, Modal, Stack, Table, Text, Title } from '@mantine/core';
import type { ElevateClient } from '../../../src/contracts/browser';
import { actorName } from '../lib/audit-search';
import { formatInstant } from '../lib/time';

export type AuditRecord = Awaited<ReturnType<ElevateClient['pageDirectoryAudits']>>['items'][number];

/** One audit record in full: who, what, when, each target with the properties it changed, and the details. */
export function AuditRecordDialog(props: { record: AuditRecord | null; opened: boolean; onClose(): void }) {
  const r = props.record;
  return (
    <Modal opened={props.opened} onClose={props.onClose} title="Audit record" size="xl">
      {r && (
        <Stack gap="md">
          <Table layout="fixed" verticalSpacing={4} aria-label="Record">
            <Table.Tbody>
              {(
                [
                  ['Activity', r.activityDisplayName],
                  ['When', `${formatInstant(r.activityDateTime)} (${r.activityDateTime})`],
                  ['Initiated by', actorName(r.initiatedBy)],
                  ['Category', r.category],
                  ['Service', r.loggedByService],
                  ['Operation', r.operationType],
                  ['Result', r.resultReason ? `${r.result}: ${r.resultReason}` : r.result],
                  ['Correlation id', r.correlationId ?? '—'],
                  ['Record id', r.id],
                ] as const
              ).map(([k, v]) => (
                <Table.Tr key={k}>
                  <Table.Th scope="row" w={150} fw={500}>
                    {k}
                  </Table.Th>
                  <Table.Td style={{ overflowWrap: 'anywhere' }}>{v}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <div>
            <Title order={3} size="h5" mb={4}>
              Targets
            </Title>
            <Stack gap="sm">
              {r.targetResources.map((t) => (
                <div key={`${t.type}:${t.id}`}>
                  <Group gap={6} wrap="wrap">
                    <Badge size="xs" variant="outline" color="gray">
                      {t.type}
                    </Badge>
                    <Text size="sm">{t.displayName ?? t.id}</Text>
                    <Code>{t.id}</Code>
                  </Group>
                  {(t.modifiedProperties?.length ?? 0) > 0 && (
                    <Table
                      layout="fixed"
                      verticalSpacing={2}
                      mt={4}
                      aria-label={`Changes to ${t.displayName ?? t.id}`}
                    >
                      <Table.Thead>
                        <Table.Tr>
                          <Table.Th scope="col" w="30%">
                            Property
                          </Table.Th>
                          <Table.Th scope="col">Before</Table.Th>
                          <Table.Th scope="col">After</Table.Th>
                        </Table.Tr>
                      </Table.Thead>
                      <Table.Tbody>
                        {t.modifiedProperties?.map((p) => (
                          <Table.Tr key={p.displayName}>
                            <Table.Td style={{ overflowWrap: 'anywhere' }}>{p.displayName}</Table.Td>
                            <Table.Td style={{ overflowWrap: 'anywhere' }}>{p.oldValue ?? '—'}</Table.Td>
                            <Table.Td style={{ overflowWrap: 'anywhere' }}>{p.newValue ?? '—'}</Table.Td>
                          </Table.Tr>
                        ))}
                      </Table.Tbody>
                    </Table>
                  )}
                </div>
              ))}
            </Stack>
          </div>
          {(r.additionalDetails?.length ?? 0) > 0 && (
            <div>
              <Title order={3} size="h5" mb={4}>
                Details
              </Title>
              <Table layout="fixed" verticalSpacing={2} aria-label="Details">
                <Table.Tbody>
                  {r.additionalDetails?.map((d) => (
                    <Table.Tr key={`${d.key}:${d.value}`}>
                      <Table.Th scope="row" w={150} fw={500}>
                        {d.key}
                      </Table.Th>
                      <Table.Td style={{ overflowWrap: 'anywhere' }}>{d.value}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </div>
          )}
        </Stack>
      )}
    </Modal>
  );
}
