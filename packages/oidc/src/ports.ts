/** Source of the current time (milliseconds since the epoch), injected for tests. */
export interface Clock {
  now(): number;
}
