import { Anchor, Paper, Skeleton, Text } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import type { AssignmentsSearch } from '../lib/admin-search';

/** Where a number leads: the list that holds exactly what it counts. */
export type StatLink =
  | { to: '/assignments'; search: AssignmentsSearch }
  | { to: '/approvals'; search: { status?: 'pending' } }
  | { to: '/dashboard'; hash: string };

/** One number of the dashboard, a link to its list; a skeleton of the same size while loading. */
export function DashboardStat(props: {
  label: string;
  value: number | undefined;
  hint?: string;
  link: StatLink;
}) {
  return (
    <Paper withBorder p="md" radius="md" mih={104}>
      <Text size="sm" c="dimmed" fw={500}>
        {props.label}
      </Text>
      {props.value === undefined ? (
        <Skeleton h={34} w={64} mt={6} />
      ) : (
        <Anchor
          renderRoot={(p) => {
            const link = props.link;
            return link.to === '/dashboard' ? (
              <Link {...p} to={link.to} hash={link.hash} />
            ) : link.to === '/approvals' ? (
              <Link {...p} to={link.to} search={link.search} />
            ) : (
              <Link {...p} to={link.to} search={link.search} />
            );
          }}
          fz={28}
          fw={700}
          lh="34px"
          mt={6}
          display="inline-block"
          aria-label={`${props.value} ${props.label.toLowerCase()}: show them`}
        >
          {props.value}
        </Anchor>
      )}
      {props.hint && (
        <Text size="xs" c="dimmed">
          {props.hint}
        </Text>
      )}
    </Paper>
  );
}

/** A count in a table cell, a link to its list (a dash for none). */
export function CountLink(props: { value: number; label: string; search: AssignmentsSearch }) {
  if (props.value === 0)
    return (
      <Text size="sm" c="dimmed" aria-label={`no ${props.label}`}>
        0
      </Text>
    );
  return (
    <Anchor
      size="sm"
      fw={600}
      renderRoot={(p) => <Link {...p} to="/assignments" search={props.search} />}
      aria-label={`${props.value} ${props.label}`}
    >
      {props.value}
    </Anchor>
  );
}
