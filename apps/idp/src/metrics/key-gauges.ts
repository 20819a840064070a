import {
  keyState,
  nextTransition,
  type Clock,
  type KeyPolicy,
  type StoredSigningKey,
} from '@idp/keys';
import { Gauge, type Registry } from 'prom-client';

/** Where the gauges read the keys: the key ring's last view of the rows, with its clock and policy. */
export interface KeySource {
  keys(): readonly StoredSigningKey[];
  readonly clock: Clock;
  readonly policy: KeyPolicy;
}

/**
 * Gauges computed at each scrape from the key ring's rows, with no database read: the age of
 * every published key and, per algorithm, the time until its keys' next transition. Every worker
 * sees the same keys, so a cluster reports the first worker's values rather than a sum.
 */
export function registerKeyGauges(registry: Registry, source: KeySource): void {
  const registers = [registry];
  new Gauge({
    name: 'idp_signing_key_age_seconds',
    help: 'Seconds since each published signing key (pending, active or retired) was created, by kid, algorithm and state.',
    labelNames: ['kid', 'alg', 'state'] as const,
    registers,
    aggregator: 'first',
    collect() {
      this.reset();
      const now = source.clock.now();
      for (const key of source.keys()) {
        const state = keyState(key, now, source.policy);
        if (state === 'removed' || state === 'revoked') continue;
        this.set({ kid: key.kid, alg: key.alg, state }, (now - key.createdAt) / 1000);
      }
    },
  });
  new Gauge({
    name: 'idp_signing_key_next_transition_seconds',
    help: 'Seconds until the next transition of a signing key of this algorithm (a pending key starts signing, an active one retires, a retired one leaves the JWKS); no series for an algorithm with none scheduled.',
    labelNames: ['alg'] as const,
    registers,
    aggregator: 'first',
    collect() {
      this.reset();
      const now = source.clock.now();
      const keys = source.keys();
      for (const alg of new Set(keys.map((key) => key.alg))) {
        // No series rather than +Inf: a cluster worker's values reach the primary as JSON, which has no Infinity.
        const next = nextTransition(
          keys.filter((key) => key.alg === alg),
          now,
          source.policy,
        );
        if (Number.isFinite(next)) this.set({ alg }, (next - now) / 1000);
      }
    },
  });
}
