import {
  mfaChoice,
  notificationEvents,
  notificationRecipients,
  notificationRowLabel,
  recipientList,
  type SettingsForm,
} from './settings-form';
import { describeMinutes } from './time';

export type SettingsSection = 'Activation' | 'Assignment' | 'Notification';

/** One setting as people read it: where it is, what it is called, and its value in words. */
export interface SettingLine {
  readonly key: string;
  readonly section: SettingsSection;
  readonly label: string;
  readonly value: string;
}

/** One changed setting: its value now and after saving. */
export interface SettingChange {
  readonly key: string;
  readonly section: SettingsSection;
  readonly label: string;
  readonly before: string;
  readonly after: string;
}

const yesNo = (b: boolean) => (b ? 'Yes' : 'No');
const days = (n: number) => `${n} day${n === 1 ? '' : 's'}`;
const levels = { All: 'All emails', Critical: 'Critical emails only', None: 'No emails' } as const;

/** Every setting of the form in words, in the order the editor shows them (the seed's settings table). */
export function describeSettings(f: SettingsForm): SettingLine[] {
  const line = (section: SettingsSection, key: string, label: string, value: string): SettingLine => ({
    key,
    section,
    label,
    value,
  });
  const choice = mfaChoice(f);
  const approvers =
    f.approvers.length === 0
      ? 'None named (Privileged Role Administrators and Global Administrators approve)'
      : f.approvers.map((a) => (a.kind === 'group' ? `${a.name} (group)` : a.name)).join(', ');
  const lines: SettingLine[] = [
    line(
      'Activation',
      'activationMinutes',
      'Activation maximum duration',
      describeMinutes(f.activationMinutes),
    ),
    line(
      'Activation',
      'mfa',
      'On activation, require',
      choice === 'context'
        ? `Authentication context ${f.claimValue.trim() || '(none named)'}`
        : choice === 'mfa'
          ? 'Multi-factor authentication'
          : 'None',
    ),
    line(
      'Activation',
      'requireJustification',
      'Require justification on activation',
      yesNo(f.requireJustification),
    ),
    line('Activation', 'requireTicket', 'Require ticket information on activation', yesNo(f.requireTicket)),
    line('Activation', 'requireApproval', 'Require approval to activate', yesNo(f.requireApproval)),
    line('Activation', 'approvers', 'Approvers', approvers),
    line(
      'Activation',
      'approverJustification',
      'Approvers must give a justification',
      yesNo(f.approverJustification),
    ),
    line('Activation', 'approvalTimeoutDays', 'Approvers have', days(f.approvalTimeoutDays)),
    line('Activation', 'approvalForExtension', 'Require approval to extend', yesNo(f.approvalForExtension)),
    line(
      'Assignment',
      'allowPermanentEligible',
      'Allow permanent eligible assignment',
      yesNo(f.allowPermanentEligible),
    ),
    line('Assignment', 'eligibleDays', 'Expire eligible assignments after', days(f.eligibleDays)),
    line(
      'Assignment',
      'allowPermanentActive',
      'Allow permanent active assignment',
      yesNo(f.allowPermanentActive),
    ),
    line('Assignment', 'activeDays', 'Expire active assignments after', days(f.activeDays)),
    line(
      'Assignment',
      'requireMfaOnActive',
      'Require multi-factor authentication on active assignment',
      yesNo(f.requireMfaOnActive),
    ),
    line(
      'Assignment',
      'requireJustificationOnActive',
      'Require justification on active assignment',
      yesNo(f.requireJustificationOnActive),
    ),
  ];
  for (const e of notificationEvents) {
    for (const r of notificationRecipients) {
      const id = `Notification_${r.recipient}_${e.caller}`;
      const n = f.notifications[id];
      if (!n) continue;
      const extra = recipientList(n.additionalRecipients);
      const value = [
        levels[n.level],
        n.defaultRecipients ? 'default recipients' : 'no default recipients',
        extra.length > 0 ? `also ${extra.join('; ')}` : 'no additional recipients',
      ].join(', ');
      lines.push(
        line('Notification', id, `${e.title}: ${notificationRowLabel(r.recipient, e.event)}`, value),
      );
    }
  }
  return lines;
}

/** The settings whose value differs between the saved form and the edited one, in the editor's order. */
export function diffSettings(before: SettingsForm, after: SettingsForm): SettingChange[] {
  const now = new Map(describeSettings(before).map((l) => [l.key, l.value]));
  return describeSettings(after)
    .filter((l) => now.get(l.key) !== l.value)
    .map((l) => ({
      key: l.key,
      section: l.section,
      label: l.label,
      before: now.get(l.key) ?? '',
      after: l.value,
    }));
}
