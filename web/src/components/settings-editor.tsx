import {
  Badge,
  Group,
  NumberInput,
  Radio,
  Select,
  Skeleton,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { type ReactNode, useId } from 'react';
import {
  type MfaChoice,
  mfaChoice,
  type NotificationLevel,
  type NotificationSetting,
  notificationEvents,
  notificationRecipients,
  notificationRowLabel,
  type SettingsForm,
} from '../lib/settings-form';
import { SettingsApprovers } from './settings-approvers';

type Patch = (change: Partial<SettingsForm>) => void;

interface EditorProps {
  /** undefined while the settings load: the same rows, holding their place. */
  readonly form: SettingsForm | undefined;
  readonly onChange: Patch;
  readonly errors: Readonly<Record<string, string>>;
  /** The keys of the settings that differ from the saved ones (marked "Changed"). */
  readonly changed: ReadonlySet<string>;
}

/**
 * Every rule of a target's role settings, in the three sections of Entra's portal (the seed's settings table):
 * Activation, Assignment, Notification. Each row names its setting and holds its control.
 */
export function SettingsEditor(props: EditorProps) {
  return (
    <Stack gap="xl">
      <ActivationSection {...props} />
      <AssignmentSection {...props} />
      <NotificationSection {...props} />
    </Stack>
  );
}

function Section(props: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={props.id}>
      <Title order={2} size="h4" id={props.id} mb="xs">
        {props.title}
      </Title>
      <Table layout="fixed" verticalSpacing="sm" aria-labelledby={props.id} withRowBorders>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col" w="42%">
              Setting
            </Table.Th>
            <Table.Th scope="col">Value</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>{props.children}</Table.Tbody>
      </Table>
    </section>
  );
}

/** One setting: its name (the control's label) and the control, which gets `id`; "Changed" once edited. */
function Row(props: {
  label: string;
  changed: boolean;
  loading: boolean;
  height?: number;
  children(id: string): ReactNode;
}) {
  const id = useId();
  return (
    <Table.Tr>
      <Table.Th scope="row" fw={500}>
        <Group gap={6} wrap="nowrap">
          <label htmlFor={id}>{props.label}</label>
          {props.changed && (
            <Badge size="xs" variant="light" color="orange">
              Changed
            </Badge>
          )}
        </Group>
      </Table.Th>
      <Table.Td>{props.loading ? <Skeleton h={props.height ?? 28} w="60%" /> : props.children(id)}</Table.Td>
    </Table.Tr>
  );
}

function ActivationSection({ form, onChange, errors, changed }: EditorProps) {
  const loading = form === undefined;
  const f = form as SettingsForm;
  const choice = loading ? 'none' : mfaChoice(f);
  const setChoice = (c: MfaChoice) => onChange({ requireMfa: c === 'mfa', requireContext: c === 'context' });
  return (
    <Section id="settings-activation" title="Activation">
      <Row
        label="Activation maximum duration (hours)"
        changed={changed.has('activationMinutes')}
        loading={loading}
      >
        {(id) => (
          <NumberInput
            id={id}
            w={140}
            min={0.5}
            max={24}
            step={0.5}
            decimalScale={2}
            value={f.activationMinutes / 60}
            onChange={(v) => onChange({ activationMinutes: Math.round(Number(v) * 60) })}
            error={errors.activationMinutes}
          />
        )}
      </Row>
      <Row label="On activation, require" changed={changed.has('mfa')} loading={loading} height={84}>
        {(id) => (
          <Stack gap={6}>
            <Radio.Group
              id={id}
              aria-label="On activation, require"
              value={choice}
              onChange={(v) => setChoice(v as MfaChoice)}
            >
              <Group gap="md">
                <Radio value="none" label="None" />
                <Radio value="mfa" label="Multi-factor authentication" />
                <Radio value="context" label="Authentication context" />
              </Group>
            </Radio.Group>
            {choice === 'context' && (
              <TextInput
                label="Authentication context claim"
                placeholder="c1"
                w={200}
                value={f.claimValue}
                onChange={(e) => onChange({ claimValue: e.currentTarget.value })}
                error={errors.claimValue}
              />
            )}
          </Stack>
        )}
      </Row>
      <SwitchRow
        label="Require justification on activation"
        field="requireJustification"
        {...{ form, onChange, changed }}
      />
      <SwitchRow
        label="Require ticket information on activation"
        field="requireTicket"
        {...{ form, onChange, changed }}
      />
      <SwitchRow
        label="Require approval to activate"
        field="requireApproval"
        {...{ form, onChange, changed }}
      />
      <Row label="Approvers" changed={changed.has('approvers')} loading={loading} height={64}>
        {() => (
          <SettingsApprovers
            value={f.approvers}
            onChange={(approvers) => onChange({ approvers })}
            error={errors.approvers}
          />
        )}
      </Row>
      <Row label="Approvers have (days)" changed={changed.has('approvalTimeoutDays')} loading={loading}>
        {(id) => (
          <Group gap="xs">
            <NumberInput
              id={id}
              w={100}
              min={1}
              max={7}
              allowDecimal={false}
              value={f.approvalTimeoutDays}
              onChange={(v) => onChange({ approvalTimeoutDays: Number(v) })}
              error={errors.approvalTimeoutDays}
            />
            <Text size="xs" c="dimmed">
              One approval stage: the first approver's decision counts.
            </Text>
          </Group>
        )}
      </Row>
      <SwitchRow
        label="Approvers must give a justification"
        field="approverJustification"
        {...{ form, onChange, changed }}
      />
      <SwitchRow
        label="Require approval to extend"
        field="approvalForExtension"
        {...{ form, onChange, changed }}
      />
    </Section>
  );
}

type BooleanField = {
  [K in keyof SettingsForm]: SettingsForm[K] extends boolean ? K : never;
}[keyof SettingsForm];

function SwitchRow(props: {
  label: string;
  field: BooleanField;
  form: SettingsForm | undefined;
  onChange: Patch;
  changed: ReadonlySet<string>;
  disabled?: boolean;
}) {
  const { form, field } = props;
  return (
    <Row label={props.label} changed={props.changed.has(field)} loading={form === undefined}>
      {(id) => (
        <Switch
          id={id}
          checked={form?.[field] ?? false}
          disabled={props.disabled}
          onChange={(e) => props.onChange({ [field]: e.currentTarget.checked })}
          onLabel="Yes"
          offLabel="No"
          size="md"
        />
      )}
    </Row>
  );
}

function AssignmentSection({ form, onChange, errors, changed }: EditorProps) {
  const loading = form === undefined;
  const f = form as SettingsForm;
  const days = (field: 'eligibleDays' | 'activeDays', permanent: boolean) => (id: string) => (
    <Group gap="xs">
      <NumberInput
        id={id}
        w={120}
        min={1}
        max={3650}
        allowDecimal={false}
        value={f[field]}
        onChange={(v) => onChange({ [field]: Number(v) })}
        error={errors[field]}
      />
      {permanent && (
        <Text size="xs" c="dimmed">
          Applies to assignments given an end; permanent ones are allowed.
        </Text>
      )}
    </Group>
  );
  return (
    <Section id="settings-assignment" title="Assignment">
      <SwitchRow
        label="Allow permanent eligible assignment"
        field="allowPermanentEligible"
        {...{ form, onChange, changed }}
      />
      <Row
        label="Expire eligible assignments after (days)"
        changed={changed.has('eligibleDays')}
        loading={loading}
      >
        {days('eligibleDays', !loading && f.allowPermanentEligible)}
      </Row>
      <SwitchRow
        label="Allow permanent active assignment"
        field="allowPermanentActive"
        {...{ form, onChange, changed }}
      />
      <Row
        label="Expire active assignments after (days)"
        changed={changed.has('activeDays')}
        loading={loading}
      >
        {days('activeDays', !loading && f.allowPermanentActive)}
      </Row>
      <SwitchRow
        label="Require multi-factor authentication on active assignment"
        field="requireMfaOnActive"
        {...{ form, onChange, changed }}
      />
      <SwitchRow
        label="Require justification on active assignment"
        field="requireJustificationOnActive"
        {...{ form, onChange, changed }}
      />
    </Section>
  );
}

const levelOptions: { value: NotificationLevel; label: string }[] = [
  { value: 'All', label: 'All emails' },
  { value: 'Critical', label: 'Critical emails only' },
  { value: 'None', label: 'No emails' },
];

function NotificationSection({ form, onChange, errors, changed }: EditorProps) {
  const loading = form === undefined;
  const set = (id: string, change: Partial<NotificationSetting>) => {
    const current = form?.notifications[id];
    if (current) onChange({ notifications: { ...form.notifications, [id]: { ...current, ...change } } });
  };
  return (
    <section aria-labelledby="settings-notification">
      <Title order={2} size="h4" id="settings-notification" mb="xs">
        Notification
      </Title>
      <Stack gap="lg">
        {notificationEvents.map((e) => (
          <Table
            key={e.event}
            layout="fixed"
            verticalSpacing="sm"
            aria-label={`Notifications ${e.title.toLowerCase()}`}
          >
            <Table.Caption style={{ captionSide: 'top', textAlign: 'left' }}>
              <Text size="sm" fw={600} c="var(--mantine-color-text)">
                {e.title}
              </Text>
            </Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col" w="32%">
                  Type
                </Table.Th>
                <Table.Th scope="col" w={150}>
                  Default recipients
                </Table.Th>
                <Table.Th scope="col">Additional recipients</Table.Th>
                <Table.Th scope="col" w={190}>
                  Emails
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {notificationRecipients.map((r) => {
                const id = `Notification_${r.recipient}_${e.caller}`;
                const n = form?.notifications[id];
                const label = notificationRowLabel(r.recipient, e.event);
                const name = `${label} — ${e.title.toLowerCase()}`;
                return (
                  <Table.Tr key={id}>
                    <Table.Th scope="row" fw={500}>
                      <Group gap={6}>
                        <span>{label}</span>
                        {changed.has(id) && (
                          <Badge size="xs" variant="light" color="orange">
                            Changed
                          </Badge>
                        )}
                      </Group>
                    </Table.Th>
                    {loading || !n ? (
                      [0, 1, 2].map((i) => (
                        <Table.Td key={i}>
                          <Skeleton h={28} w="70%" />
                        </Table.Td>
                      ))
                    ) : (
                      <>
                        <Table.Td>
                          <Switch
                            aria-label={`Default recipients: ${name}`}
                            checked={n.defaultRecipients}
                            onChange={(ev) => set(id, { defaultRecipients: ev.currentTarget.checked })}
                            onLabel="Yes"
                            offLabel="No"
                            size="md"
                          />
                        </Table.Td>
                        <Table.Td>
                          <TextInput
                            aria-label={`Additional recipients: ${name}`}
                            placeholder="alice@contoso.com; bob@contoso.com"
                            value={n.additionalRecipients}
                            onChange={(ev) => set(id, { additionalRecipients: ev.currentTarget.value })}
                            error={errors[id]}
                          />
                        </Table.Td>
                        <Table.Td>
                          <Select
                            aria-label={`Emails: ${name}`}
                            data={levelOptions}
                            value={n.level}
                            allowDeselect={false}
                            onChange={(v) => v && set(id, { level: v as NotificationLevel })}
                          />
                        </Table.Td>
                      </>
                    )}
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        ))}
      </Stack>
      <VisuallyHidden>Additional recipients are email addresses separated by semicolons.</VisuallyHidden>
    </section>
  );
}
