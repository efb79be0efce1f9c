import { SegmentedControl } from '@mantine/core';
import { type StatusFilter, statusFilters } from '../lib/request-rows';

/** The status filter of a request list: one choice, kept in the page's address. */
export function StatusFilterControl(props: {
  value: StatusFilter;
  options: readonly StatusFilter[];
  onChange(value: StatusFilter): void;
}) {
  return (
    <SegmentedControl
      aria-label="Filter by status"
      size="xs"
      value={props.value}
      onChange={(v) => props.onChange(v as StatusFilter)}
      data={props.options.map((o) => ({ value: o, label: statusFilters[o].label }))}
    />
  );
}
