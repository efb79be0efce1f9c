import { Badge } from '@mantine/core';
import { statusColors, statusLabels } from '../lib/outcome';

/** A request's status (Graph's value in the tooltip), coloured by what it means for the person. */
export function StatusBadge(props: { status: string }) {
  return (
    <Badge
      color={statusColors[props.status] ?? 'gray'}
      variant="light"
      size="sm"
      title={props.status}
      style={{ flexShrink: 0, overflow: 'visible' }}
    >
      {statusLabels[props.status] ?? props.status}
    </Badge>
  );
}
