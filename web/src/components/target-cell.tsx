import { Stack, Text } from '@mantine/core';
import { targetScopeLabel } from '../lib/my-access';
import type { RequestRow } from '../lib/request-rows';

/** A request's role or group, with its scope ("Directory") or what of the group ("Group membership"). */
export function TargetCell(props: { row: RequestRow }) {
  const { row } = props;
  return (
    <Stack gap={0}>
      <Text size="sm" fw={500}>
        {row.name}
      </Text>
      <Text size="xs" c="dimmed">
        {row.target.kind === 'group'
          ? `Group ${targetScopeLabel(row.target).toLowerCase()}`
          : targetScopeLabel(row.target)}
      </Text>
    </Stack>
  );
}
