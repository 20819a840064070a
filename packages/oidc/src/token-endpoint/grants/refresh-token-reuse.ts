import type { RotationResult, StoredSuccessor } from '../../ports/index.js';

/**
 * What a used refresh token presented again means (RFC 9700 4.14.2):
 * - `replay`: two parties hold the family's tokens; revoke the family;
 * - `grace`: a client retrying a refresh whose answer it never received (a timeout, a crash after
 *   the commit), within the grace period: give it the one successor the first use stored, so the
 *   family stays a single chain;
 * - `successor-expired`: a retry, but its successor has expired meanwhile; refuse, revoke nothing.
 */
export type ReuseVerdict =
  | { readonly kind: 'replay' }
  | { readonly kind: 'grace'; readonly successor: StoredSuccessor }
  | { readonly kind: 'successor-expired' };

/**
 * Decides a `used` rotation. Grace needs a grace period, a presentation within it of the first
 * use, and a successor not used since (once the client moved on, a presentation is someone
 * else's). A concurrent request may have read its clock before the winner set usedAt, so
 * `now - usedAt` can be negative: with no grace period configured that is a replay all the same.
 */
export function judgeRefreshTokenReuse(
  rotation: Extract<RotationResult, { outcome: 'used' }>,
  now: number,
  graceSeconds: number,
): ReuseVerdict {
  const graceMs = graceSeconds * 1000;
  const { successor } = rotation;
  if (graceMs <= 0 || now - rotation.usedAt > graceMs || !successor || successor.usedAt !== null)
    return { kind: 'replay' };
  if (now >= successor.expiresAt) return { kind: 'successor-expired' };
  return { kind: 'grace', successor };
}
