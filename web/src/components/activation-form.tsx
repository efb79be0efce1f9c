import { Alert, Button, Checkbox, Group, NumberInput, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { rowPhrase } from '../lib/my-access';
import { passkeyFactor } from '../lib/step-up-factor';
import { needsStepUp } from '../lib/targets';
import { describeMinutes, durationMinutes } from '../lib/time';
import { type ActivationItem, type ItemState, useActivationRunner } from '../lib/use-activation-runner';
import { NoAuthenticator, SelectedTargets, TargetLine } from './activation-notes';
import { ActivationResults } from './activation-results';
import { Requirements } from './requirements';

/** The shortest activation the form offers, in minutes. */
const shortest = 30;

/** The longest activation a target allows now: its settings' maximum, and never past its eligibility. */
function longestFor(item: ActivationItem): number {
  const maximum = durationMinutes(item.settings.maximumDuration) ?? 8 * 60;
  const eligibleLeft = item.row.endDateTime
    ? Math.floor((new Date(item.row.endDateTime).getTime() - Date.now()) / 60_000)
    : Number.POSITIVE_INFINITY;
  return Math.max(1, Math.min(maximum, eligibleLeft));
}

/**
 * One form for one or several targets: duration (each target gets it, or its own maximum when shorter),
 * justification, ticket, a later start, and — when a target asks for MFA — the authenticator code, so a
 * step-up and the activation are one click. Several targets end on a list of per-target outcomes.
 */
export function ActivationForm(props: {
  items: readonly ActivationItem[];
  enrolled: boolean;
  /** Which second factors I have: a code from the authenticator app, a passkey, or both. */
  factors?: { readonly totp: boolean; readonly passkey: boolean };
  onClose(): void;
  onActivated(message: string): void;
}) {
  const { items, enrolled } = props;
  const factors = props.factors ?? { totp: true, passkey: false };
  const single = items.length === 1;
  const runner = useActivationRunner({ enrolled });
  const [phase, setPhase] = useState<'form' | 'results'>('form');
  const [busy, setBusy] = useState(false);

  const longestEach = new Map(items.map((i) => [i.row.id, longestFor(i)]));
  const longest = Math.max(...longestEach.values());
  const anyShorter = items.some((i) => (longestEach.get(i.row.id) ?? 0) < longest);
  const maximum = Math.max(...items.map((i) => durationMinutes(i.settings.maximumDuration) ?? 8 * 60));

  const [hours, setHours] = useState<number | string>(round2(longest / 60));
  const [justification, setJustification] = useState('');
  const [ticketNumber, setTicketNumber] = useState('');
  const [ticketSystem, setTicketSystem] = useState('');
  const [startLater, setStartLater] = useState(false);
  const [startAt, setStartAt] = useState('');
  const [code, setCode] = useState('');
  const [details, setDetails] = useState<Parameters<typeof runner.run>[1] | null>(null);

  const minutes = Math.round(Number(hours) * 60);
  const durationError =
    !Number.isFinite(minutes) || minutes < Math.min(shortest, longest)
      ? `At least ${describeMinutes(Math.min(shortest, longest))}`
      : minutes > longest
        ? `At most ${describeMinutes(longest)}`
        : null;

  const stateOf = (item: ActivationItem): ItemState | undefined => runner.states[item.row.id];
  // A target asks for a code when its settings say so, or when the server said so on the last try.
  const needsCode = (item: ActivationItem) =>
    needsStepUp(item.settings) || stateOf(item)?.kind === 'needsCode';
  const codeItem = items.find((i) => needsCode(i) && !runner.hasProof(i));
  const stepUpCount = items.filter((i) => needsCode(i)).length;
  const withoutAuthenticator = items.filter(
    (i) => (!enrolled && needsCode(i)) || stateOf(i)?.kind === 'noAuthenticator',
  );
  const only = single ? items[0] : undefined;
  const onlyState = only ? stateOf(only) : undefined;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // With a passkey only, the Activate button asks for it; with both, the code field or the passkey button.
    await activate(factors.totp ? code : passkeyFactor);
  }

  async function activate(code: string) {
    if (durationError || busy) return;
    const chosen = {
      minutes,
      justification,
      ticketNumber,
      ticketSystem,
      ...(startLater && startAt ? { startDateTime: new Date(startAt).toISOString() } : {}),
    };
    setDetails(chosen);
    setBusy(true);
    if (!single) setPhase('results');
    const final = await runner.run(items, chosen, { code, codeItem, needsCode });
    setBusy(false);
    setCode('');
    const done = items.flatMap((i) => {
      const s = final[i.row.id];
      return s?.kind === 'done' ? [s.message] : [];
    });
    if (done.length > 0) props.onActivated(done.join(' '));
    if (single && done.length === 1) props.onClose();
  }

  if (phase === 'results' && details) {
    return (
      <ActivationResults
        items={items}
        states={runner.states}
        busy={busy}
        onRetry={async (item, itemCode) => {
          const state = await runner.retry(item, details, itemCode);
          if (state.kind === 'done') props.onActivated(state.message);
        }}
        onClose={props.onClose}
      />
    );
  }

  const perItem = (item: ActivationItem) => {
    const each = Math.min(minutes, longestEach.get(item.row.id) ?? minutes);
    return each < minutes ? `${describeMinutes(each)} (its maximum)` : describeMinutes(each);
  };

  return (
    <form
      onSubmit={submit}
      aria-label={single && only ? `Activate ${rowPhrase(only.row)}` : 'Activate selected'}
    >
      <Stack gap="md">
        {only ? (
          <>
            <Text size="sm" c="dimmed">
              <TargetLine row={only.row} />
            </Text>
            <Requirements
              settings={only.settings}
              label={`What this ${only.row.target.kind === 'group' ? 'group' : 'role'}'s settings require`}
            />
          </>
        ) : (
          <SelectedTargets items={items} describe={(item) => (durationError ? '—' : perItem(item))} />
        )}
        <NumberInput
          label="Duration (hours)"
          description={
            single
              ? `Up to ${describeMinutes(longest)}${longest < maximum ? ', when your eligibility ends' : ''}`
              : `Up to ${describeMinutes(longest)}${anyShorter ? '; each gets this, or its own maximum when shorter' : ''}`
          }
          value={hours}
          onChange={setHours}
          min={round2(Math.min(shortest, longest) / 60)}
          max={round2(longest / 60)}
          step={0.5}
          decimalScale={2}
          clampBehavior="blur"
          error={durationError}
          required
        />
        <Textarea
          label="Justification"
          description="Why you need it now; approvers and auditors read it"
          value={justification}
          onChange={(e) => setJustification(e.currentTarget.value)}
          required={items.some((i) => i.settings.requiresJustification)}
          maxLength={500}
          autosize
          minRows={2}
          maxRows={6}
        />
        <Group grow align="flex-start">
          <TextInput
            label="Ticket number"
            value={ticketNumber}
            onChange={(e) => setTicketNumber(e.currentTarget.value)}
            required={items.some((i) => i.settings.requiresTicket)}
            maxLength={100}
          />
          <TextInput
            label="Ticket system"
            value={ticketSystem}
            onChange={(e) => setTicketSystem(e.currentTarget.value)}
            required={items.some((i) => i.settings.requiresTicket)}
            maxLength={100}
          />
        </Group>
        <Checkbox
          label="Start later"
          checked={startLater}
          onChange={(e) => setStartLater(e.currentTarget.checked)}
        />
        {startLater && (
          <TextInput
            type="datetime-local"
            label="Start at"
            description="Your local time"
            value={startAt}
            onChange={(e) => setStartAt(e.currentTarget.value)}
            required
          />
        )}
        {withoutAuthenticator.length > 0 && (
          <NoAuthenticator rows={withoutAuthenticator.map((i) => i.row)} allOfThem={single} />
        )}
        {enrolled && codeItem && (
          <>
            {onlyState?.kind === 'needsCode' && !onlyState.codeError && (
              <Alert color="yellow" role="alert" title="A code from your authenticator app is needed">
                {onlyState.reason}
              </Alert>
            )}
            {factors.totp && (
              <TextInput
                label={single ? 'Authenticator code' : `Authenticator code for ${rowPhrase(codeItem.row)}`}
                description="The 6-digit code your authenticator app shows now; it confirms it is you, for this activation only"
                autoComplete="one-time-code"
                inputMode="numeric"
                maxLength={10}
                required
                value={code}
                onChange={(e) => setCode(e.currentTarget.value)}
                error={stateOf(codeItem)?.kind === 'needsCode' ? codeErrorOf(stateOf(codeItem)) : undefined}
              />
            )}
            {factors.passkey && (
              <Group gap="sm">
                {factors.totp && (
                  <Button
                    variant="default"
                    loading={busy}
                    onClick={(e) => {
                      // The other fields' rules still apply; only the code field is not needed.
                      const form = e.currentTarget.form;
                      const codeField = form?.querySelector<HTMLInputElement>(
                        'input[autocomplete="one-time-code"]',
                      );
                      codeField?.removeAttribute('required');
                      const valid = form?.reportValidity() ?? true;
                      codeField?.setAttribute('required', '');
                      if (valid) void activate(passkeyFactor);
                    }}
                  >
                    Use a passkey instead
                  </Button>
                )}
                <Text size="sm" c="dimmed">
                  {factors.totp
                    ? 'Or confirm with a passkey: your browser asks for it.'
                    : 'Activate asks for your passkey; it confirms it is you, for this activation only.'}
                </Text>
                {!factors.totp &&
                  stateOf(codeItem)?.kind === 'needsCode' &&
                  codeErrorOf(stateOf(codeItem)) && (
                    <Text size="sm" c="red" role="alert">
                      {codeErrorOf(stateOf(codeItem))}
                    </Text>
                  )}
              </Group>
            )}
            {!single && stepUpCount > 1 && (
              <Text size="sm" c="dimmed">
                {stepUpCount - 1} more {stepUpCount - 1 === 1 ? 'asks' : 'ask'} for a code of its own: a code
                works once, so you enter the next codes your app shows, one for each, after this.
              </Text>
            )}
          </>
        )}
        {onlyState?.kind === 'refused' && (
          <Alert color="red" role="alert" title="Activation refused">
            {onlyState.message}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={busy} disabled={single && withoutAuthenticator.length > 0}>
            {single ? 'Activate' : `Activate ${items.length}`}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

const codeErrorOf = (state: ItemState | undefined): string | undefined =>
  state?.kind === 'needsCode' ? state.codeError : undefined;

const round2 = (n: number): number => Math.round(n * 100) / 100;
