import type { Clock } from '../../src/app/ports/clock.js';

/** A clock tests move by hand; time never passes on its own. */
export class TestClock implements Clock {
  private current: number;
  constructor(start: Date | string = '2026-01-05T09:00:00Z') {
    this.current = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.current);
  }
  set(at: Date | string): void {
    this.current = new Date(at).getTime();
  }
  advance(ms: number): void {
    this.current += ms;
  }
  advanceMinutes(n: number): void {
    this.advance(n * 60_000);
  }
  advanceHours(n: number): void {
    this.advance(n * 3_600_000);
  }
  advanceDays(n: number): void {
    this.advance(n * 86_400_000);
  }
}
