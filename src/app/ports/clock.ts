/** The only source of "now" for use cases; compose.ts passes the system clock, tests a controllable one. */
export interface Clock {
  now(): Date;
}
