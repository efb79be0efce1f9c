import { Badge, Group, Text } from '@mantine/core';
import type { ActivationSettings } from '../../../src/contracts/browser';

/** The names of what a target's settings ask of an activation. */
export function requirementNames(s: ActivationSettings, short = false): string[] {
  return [
    s.requiresJustification && 'Justification',
    s.requiresTicket && 'Ticket',
    (s.requiresMfa || s.authenticationContext) && (short ? 'MFA' : 'Multi-factor authentication'),
    s.requiresApproval && 'Approval',
  ].filter((a): a is string => typeof a === 'string');
}

/** What the settings ask for, as badges, so nobody learns it from a refusal. */
export function Requirements(props: { settings: ActivationSettings; label: string; compact?: boolean }) {
  const asks = requirementNames(props.settings, props.compact);
  return (
    <Group gap={6} aria-label={props.label}>
      {!props.compact && <Text size="sm">Requires:</Text>}
      {asks.length === 0 ? (
        <Text size="sm" c={props.compact ? 'dimmed' : undefined}>
          {props.compact ? 'Nothing more' : 'nothing more'}
        </Text>
      ) : (
        asks.map((a) => (
          <Badge
            key={a}
            variant="light"
            size={props.compact ? 'sm' : 'md'}
            title={a === 'MFA' ? 'Multi-factor authentication' : undefined}
          >
            {a}
          </Badge>
        ))
      )}
    </Group>
  );
}
