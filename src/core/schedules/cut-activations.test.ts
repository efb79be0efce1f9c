import { describe, expect, it } from 'vitest';
import { activation, earlier, eligibility, later, t0 } from '../requests/test-kit.js';
import { cutActivations } from './cut-activations.js';

describe('cutActivations', () => {
  it('given activations of a shortened eligibility, then covered ones stay, overlapping ones are cut and later ones revoked', () => {
    const elig = eligibility();
    const covered = activation({ start: earlier('PT5M'), end: later('PT5M'), activatedUsing: elig.id });
    const cut = activation({ start: earlier('PT5M'), end: later('PT2H'), activatedUsing: elig.id });
    const upcoming = activation({
      start: later('PT1H'),
      end: later('PT2H'),
      status: 'Scheduled',
      activatedUsing: elig.id,
    });
    const otherSource = activation({ start: earlier('PT5M'), end: later('PT2H'), activatedUsing: 'x' });
    const changes = cutActivations(
      [covered, cut, upcoming, otherSource],
      elig,
      { start: elig.start, end: later('PT30M') },
      t0,
    );
    expect(changes).toEqual([
      { op: 'update', scheduleId: cut.id, end: later('PT30M') },
      { op: 'end', scheduleId: upcoming.id, end: new Date(later('PT1H').getTime() + 1), status: 'Revoked' },
    ]);
  });
});
