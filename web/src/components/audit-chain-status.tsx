import { Alert, Button, Group, Skeleton, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useSession } from '../session';
import { errorMessage } from './error-alert';

/**
 * Whether the audit log is intact: the server re-hashes the whole chain (`GET /api/v1/audit/verify`) and names
 * the first record that was edited, removed or reordered. The box keeps its height while it checks.
 */
export function AuditChainStatus() {
  const { client, user } = useSession();
  const verification = useQuery({
    queryKey: ['audit-verify', user.id],
    queryFn: () => client.verifyAudit(),
    staleTime: 60_000,
  });
  const again = (
    <Button
      size="xs"
      variant="light"
      loading={verification.isFetching}
      onClick={() => void verification.refetch()}
    >
      Verify again
    </Button>
  );
  const v = verification.data;

  return (
    <section aria-label="Audit chain" aria-busy={verification.isPending}>
      {verification.isPending ? (
        <Skeleton h={74} radius="sm" />
      ) : verification.isError ? (
        <Alert color="red" title="The audit chain could not be checked" mih={74}>
          <Group justify="space-between" wrap="nowrap">
            <Text size="sm">{errorMessage(verification.error)}</Text>
            {again}
          </Group>
        </Alert>
      ) : v?.ok ? (
        <Alert color="green" title="Audit chain verified" mih={74}>
          <Group justify="space-between" wrap="nowrap">
            <Text size="sm">
              All {v.count.toLocaleString()} records are intact and in order (last record #{v.lastSequence},
              hash <code title={v.lastHash}>{v.lastHash.slice(0, 12)}…</code>).
            </Text>
            {again}
          </Group>
        </Alert>
      ) : v ? (
        <Alert color="red" title="Audit chain broken" mih={74} role="alert">
          <Group justify="space-between" wrap="nowrap">
            <Text size="sm">
              Record #{v.brokenAt} ({v.id}) does not verify: {v.reason} The {v.count.toLocaleString()} records
              before it are intact.
            </Text>
            {again}
          </Group>
        </Alert>
      ) : null}
    </section>
  );
}
