import { KeyError } from './key-error.js';
import { activeKey, keyState, type KeyPolicy } from './key-lifecycle.js';
import type { KeySetChange, KeyUpdate } from './key-set-change.js';
import type { StoredSigningKey } from './signing-key.js';

/**
 * Pure decisions about the key set: each takes the current rows and returns what to write.
 * They run inside `SigningKeyStore.change`, so they always decide on fresh, locked rows.
 * Every algorithm has its own lifecycle: a decision about a key only ever looks at, and
 * changes, keys of that key's algorithm.
 */

const sameAlg = (keys: readonly StoredSigningKey[], alg: StoredSigningKey['alg']) =>
  keys.filter((k) => k.alg === alg);

/** A freshly generated key, not yet scheduled. */
export type NewKey = Omit<
  StoredSigningKey,
  'createdAt' | 'activatesAt' | 'retiredAt' | 'revokedAt'
>;

export interface RotationResult {
  readonly kid: string;
  readonly alg: StoredSigningKey['alg'];
  readonly activatesAt: number;
  /** Keys whose signing period now ends at `activatesAt` (cancelled pending keys included). */
  readonly retiring: readonly string[];
  /** What the rotation did to each key of `retiring`, in the same order. */
  readonly superseded: readonly SupersededKey[];
}

/** A key of the rotated algorithm whose signing period the new key cut short. */
export interface SupersededKey {
  readonly kid: string;
  /**
   * - `stops`: it was signing; it stops at the new key's activation (at once with `--now`), then
   *   stays published until the tokens it signed expire.
   * - `shortened`: a pending key that still activates first; it signs from its own activation
   *   until the new key's.
   * - `cancelled`: a pending key the new one overtakes; it never signs and leaves the JWKS when
   *   the new key activates (at once with `--now`).
   */
  readonly outcome: 'stops' | 'shortened' | 'cancelled';
  /** When it started, or starts, signing (for a cancelled key, when it would have). */
  readonly activatesAt: number;
}

function supersededKey(key: StoredSigningKey, now: number, activatesAt: number): SupersededKey {
  // As keyTimeline has it: a key retired before its activation never signs.
  const outcome =
    key.activatesAt <= now ? 'stops' : key.activatesAt <= activatesAt ? 'shortened' : 'cancelled';
  return { kid: key.kid, outcome, activatesAt: key.activatesAt };
}

/**
 * Adds `newKey`, signing from `activatesAt`. Every key of its algorithm that would still sign (or
 * start signing) at that instant retires then, which keeps activation periods from overlapping:
 * exactly one key per algorithm signs at any time. A pending key overtaken this way never signs.
 */
export function planRotation(
  keys: readonly StoredSigningKey[],
  newKey: NewKey,
  now: number,
  activatesAt: number,
): KeySetChange<RotationResult> {
  const overtaken = sameAlg(keys, newKey.alg).filter(
    (k) => k.revokedAt === null && (k.retiredAt === null || k.retiredAt > activatesAt),
  );
  const updates: KeyUpdate[] = overtaken.map((k) => ({ kid: k.kid, retiredAt: activatesAt }));
  const superseded = overtaken.map((k) => supersededKey(k, now, activatesAt));
  const retiring = updates.map((u) => u.kid);
  const cancelled = superseded.filter((k) => k.outcome === 'cancelled').map((k) => k.kid);
  const data = { kid: newKey.kid, alg: newKey.alg, retiring, cancelled };
  return {
    insert: { ...newKey, createdAt: now, activatesAt, retiredAt: null, revokedAt: null },
    updates,
    events: [
      {
        type: 'key.rotated',
        data: { ...data, activatesAt: new Date(activatesAt).toISOString() },
      },
    ],
    result: { kid: newKey.kid, alg: newKey.alg, activatesAt, retiring, superseded },
  };
}

/** On first start (or when nothing of its algorithm can sign): the new key signs at once. */
export function planBootstrap(
  keys: readonly StoredSigningKey[],
  newKey: NewKey,
  now: number,
  policy: KeyPolicy,
): KeySetChange<RotationResult | null> {
  if (activeKey(sameAlg(keys, newKey.alg), now, policy))
    return { updates: [], events: [], result: null };
  const rotation = planRotation(keys, newKey, now, now);
  return {
    ...rotation,
    events: [
      { type: 'key.created', data: { kid: newKey.kid, alg: newKey.alg, reason: 'no signing key' } },
    ],
  };
}

/** The pending key of the same algorithm already scheduled to take over from `key`, if any. */
function scheduledSuccessor(
  keys: readonly StoredSigningKey[],
  key: StoredSigningKey,
  now: number,
  policy: KeyPolicy,
) {
  return keys.find(
    (k) =>
      k.kid !== key.kid &&
      k.alg === key.alg &&
      keyState(k, now, policy) === 'pending' &&
      k.retiredAt === null,
  );
}

/**
 * Takes a pending key out of the timeline: a key whose signing period was cut short to make room
 * for it (its retirement is the pending key's activation) signs on until the cancelled key would
 * have stopped, or for good. Without this, cancelling a scheduled rotation would leave the
 * algorithm with no signing key once the cancelled key's activation time came. A pending key that
 * the cancelled one overtook (retired before its own activation) stays cancelled: reopening it
 * too would give the algorithm two signing keys.
 */
function closeGap(keys: readonly StoredSigningKey[], cancelled: StoredSigningKey): KeyUpdate[] {
  return sameAlg(keys, cancelled.alg)
    .filter(
      (k) =>
        k.kid !== cancelled.kid &&
        k.revokedAt === null &&
        k.retiredAt === cancelled.activatesAt &&
        k.activatesAt <= k.retiredAt,
    )
    .map((k) => ({ kid: k.kid, retiredAt: cancelled.retiredAt }));
}

function findKey(keys: readonly StoredSigningKey[], kid: string): StoredSigningKey {
  const key = keys.find((k) => k.kid === kid);
  if (!key) throw new KeyError('unknown_key', `no signing key with kid ${kid}`);
  return key;
}

/**
 * Stops a key from signing now. A pending key is cancelled (it never signed). The active key
 * hands over to its scheduled successor at once; without one there would be nothing to sign
 * with, so the operator is told to rotate first, unless `enabled` no longer lists its
 * algorithm: then the algorithm is being wound down and its last key may retire.
 */
export function planRetire(
  keys: readonly StoredSigningKey[],
  kid: string,
  now: number,
  policy: KeyPolicy,
  enabled?: readonly StoredSigningKey['alg'][],
): KeySetChange<{ kid: string; successor: string | null }> {
  const key = findKey(keys, kid);
  const state = keyState(key, now, policy);
  const retired = { type: 'key.retired' as const, data: { kid } };
  if (state === 'pending') {
    return {
      updates: [{ kid, retiredAt: now }, ...closeGap(keys, key)],
      events: [retired],
      result: { kid, successor: null },
    };
  }
  if (state !== 'active') {
    throw new KeyError(
      'invalid_transition',
      `signing key ${kid} is ${state}; only a pending or active key can be retired`,
    );
  }
  const successor = scheduledSuccessor(keys, key, now, policy);
  if (!successor && enabled !== undefined && !enabled.includes(key.alg)) {
    return {
      updates: [{ kid, retiredAt: now }],
      events: [{ ...retired, data: { kid, alg: key.alg, lastOfAlgorithm: true } }],
      result: { kid, successor: null },
    };
  }
  if (!successor) {
    const rotate = `keys rotate${key.alg === 'RS256' ? '' : ` --alg ${key.alg}`}`;
    throw new KeyError(
      'invalid_transition',
      `signing key ${kid} is the only ${key.alg} key that can sign; run \`${rotate}\` first ` +
        `(it retires this key once the new one has been published long enough), or \`${rotate} --now\``,
    );
  }
  return {
    updates: [
      { kid, retiredAt: now },
      { kid: successor.kid, activatesAt: now },
    ],
    events: [
      { ...retired, data: { kid, successor: successor.kid, successorActivatedEarly: true } },
    ],
    result: { kid, successor: successor.kid },
  };
}

/**
 * Emergency removal: the key leaves the JWKS at once and tokens it signed stop verifying. If it
 * was signing, its scheduled successor (of its algorithm) takes over now, or else `replacement`
 * does; with no replacement (an algorithm no longer enabled) nothing of that algorithm signs.
 */
export function planRevoke(
  keys: readonly StoredSigningKey[],
  kid: string,
  replacement: NewKey | null,
  now: number,
  policy: KeyPolicy,
): KeySetChange<{ kid: string; signingKid: string | null }> {
  const key = findKey(keys, kid);
  const state = keyState(key, now, policy);
  if (state === 'revoked')
    throw new KeyError('invalid_transition', `signing key ${kid} is already revoked`);
  const revoked = {
    kid,
    revokedAt: now,
    ...(key.retiredAt === null || key.retiredAt > now ? { retiredAt: now } : {}),
  };
  const event = { type: 'key.revoked' as const, data: { kid, state } };
  if (state !== 'active') {
    const gap = state === 'pending' ? closeGap(keys, key) : [];
    return {
      updates: [revoked, ...gap],
      events: [event],
      result: { kid, signingKid: activeKey(sameAlg(keys, key.alg), now, policy)?.kid ?? null },
    };
  }
  const successor = scheduledSuccessor(keys, key, now, policy);
  if (successor) {
    return {
      updates: [revoked, { kid: successor.kid, activatesAt: now }],
      events: [{ ...event, data: { kid, state, successor: successor.kid } }],
      result: { kid, signingKid: successor.kid },
    };
  }
  if (replacement === null)
    return { updates: [revoked], events: [event], result: { kid, signingKid: null } };
  if (replacement.alg !== key.alg)
    throw new TypeError(`a ${key.alg} key cannot be replaced by a ${replacement.alg} key`);
  const others = keys.filter((k) => k.kid !== kid);
  const rotation = planRotation(others, replacement, now, now);
  return {
    insert: rotation.insert,
    updates: [revoked, ...rotation.updates],
    events: [{ ...event, data: { kid, state, replacement: replacement.kid } }],
    result: { kid, signingKid: replacement.kid },
  };
}
