/**
 * Source of the current time, injected so that tests can move time without sleeping. The one
 * `Clock` of the project: `@idp/keys` re-exports it. Stores never read a clock: callers pass
 * `clock.now()` into every write that records a time.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}
