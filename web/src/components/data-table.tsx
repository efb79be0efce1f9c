import { Group, Pagination, Skeleton, Table, Text, VisuallyHidden } from '@mantine/core';
import { type ReactNode, useState } from 'react';

export interface Column {
  readonly key: string;
  /** The header's text; read by screen readers only when `hidden`. */
  readonly header: string;
  readonly hidden?: boolean;
  /** A fixed width, the same before and after the data arrives; columns without one share what is left. */
  readonly width?: string | number;
  /** The header cell's content when it is not just the text (a select-all checkbox). */
  readonly headerCell?: ReactNode;
}

/**
 * A table whose header is always shown; while loading, skeleton rows of the final height hold the place, so
 * nothing moves when the data arrives. Long lists are shown `pageSize` rows at a time.
 */
export function DataTable<T>(props: {
  label: string;
  columns: readonly Column[];
  /** undefined while loading. */
  rows: readonly T[] | undefined;
  error?: boolean;
  empty: ReactNode;
  rowKey(row: T): string;
  render(row: T): readonly ReactNode[];
  pageSize?: number;
  minWidth?: number;
  /** Below the table: a "Load more" button for lists the server pages. */
  footer?: ReactNode;
}) {
  const { columns, rows, pageSize = 25 } = props;
  const [page, setPage] = useState(1);
  const pages = rows ? Math.max(1, Math.ceil(rows.length / pageSize)) : 1;
  const current = Math.min(page, pages);
  const shown = rows?.slice((current - 1) * pageSize, current * pageSize);

  return (
    <div>
      <Table.ScrollContainer minWidth={props.minWidth ?? 720}>
        <Table
          layout="fixed"
          verticalSpacing="sm"
          highlightOnHover
          aria-label={props.label}
          aria-busy={rows === undefined && !props.error}
        >
          <Table.Thead>
            <Table.Tr>
              {columns.map((c) => (
                <Table.Th key={c.key} scope="col" w={c.width}>
                  {c.headerCell ?? (c.hidden ? <VisuallyHidden>{c.header}</VisuallyHidden> : c.header)}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows === undefined &&
              !props.error &&
              [0, 1].map((i) => (
                <Table.Tr key={i} aria-hidden>
                  {columns.map((c) => (
                    <Table.Td key={c.key}>
                      <Skeleton h={c.hidden ? 30 : 18} w={c.hidden ? 84 : '70%'} />
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            {rows === undefined && props.error && (
              <Table.Tr>
                <Table.Td colSpan={columns.length}>
                  <Text size="sm" c="dimmed" py={6}>
                    Not loaded.
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
            {rows?.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={columns.length}>
                  <Text size="sm" c="dimmed" py={6}>
                    {props.empty}
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
            {shown?.map((row) => (
              <Table.Tr key={props.rowKey(row)}>
                {props.render(row).map((cell, i) => (
                  <Table.Td key={columns[i]?.key ?? i}>{cell}</Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {pages > 1 && (
        <Group justify="flex-end" mt="xs">
          <Pagination
            size="sm"
            total={pages}
            value={current}
            onChange={setPage}
            getControlProps={(control) => ({
              'aria-label': control === 'previous' ? 'Previous page' : 'Next page',
            })}
            getItemProps={(p) => ({ 'aria-label': `Page ${p} of ${props.label}` })}
          />
        </Group>
      )}
      {props.footer}
    </div>
  );
}
