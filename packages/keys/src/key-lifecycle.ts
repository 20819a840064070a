import type { KeyState, StoredSigningKey } from './signing-key.js';

/** The settings that decide how long keys stay in each state, in milliseconds. */
export interface KeyPolicy {
  /** A retired key stays published this long: the longest lifetime of any token it signed. */
  readonly longestTokenTtlMs: number;
}

/** When a key signs, stops signing and leaves the JWKS (null: not scheduled). */
export interface KeyTimeline {
  readonly activatesAt: number;
  readonly retiresAt: number | null;
  readonly removesAt: number | null;
}

type LifecycleFields = Pick<StoredSigningKey, 'activatesAt' | 'retiredAt' | 'revokedAt'>;

/** A key retired before its activation time never signed anything (at the same instant it may have). */
function everSigns(key: LifecycleFields): boolean {
  return key.retiredAt === null || key.activatesAt <= key.retiredAt;
}

export function keyTimeline(key: LifecycleFields, policy: KeyPolicy): KeyTimeline {
  const removesAt =
    key.retiredAt === null
      ? null
      : everSigns(key)
        ? key.retiredAt + policy.longestTokenTtlMs
        : key.retiredAt;
  return { activatesAt: key.activatesAt, retiresAt: key.retiredAt, removesAt };
}

/**
 * The state of a key at `now`, derived from its timestamps only. Rotations keep the invariant
 * that activation periods never overlap, so at most one key is `active` at any instant.
 */
export function keyState(key: LifecycleFields, now: number, policy: KeyPolicy): KeyState {
  if (key.revokedAt !== null && key.revokedAt <= now) return 'revoked';
  const { retiresAt, removesAt } = keyTimeline(key, policy);
  if (retiresAt !== null && now >= retiresAt) {
    return removesAt !== null && now >= removesAt ? 'removed' : 'retired';
  }
  return now < key.activatesAt ? 'pending' : 'active';
}

/** The key that signs at `now`, if any. */
export function activeKey<K extends LifecycleFields>(
  keys: readonly K[],
  now: number,
  policy: KeyPolicy,
): K | undefined {
  return keys.find((key) => keyState(key, now, policy) === 'active');
}

/**
 * The next instant after `now` at which any key changes state, or Infinity. Whatever is derived
 * from the key set (JWKS body, signing key) stays valid until then.
 */
export function nextTransition(
  keys: readonly LifecycleFields[],
  now: number,
  policy: KeyPolicy,
): number {
  let next = Number.POSITIVE_INFINITY;
  for (const key of keys) {
    if (key.revokedAt !== null) continue;
    const { activatesAt, retiresAt, removesAt } = keyTimeline(key, policy);
    for (const at of [activatesAt, retiresAt, removesAt]) {
      if (at !== null && at > now && at < next) next = at;
    }
  }
  return next;
}
