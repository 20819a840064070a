import type { FailurePolicy } from '@idp/oidc';
import type { FastifyInstance } from 'fastify';
import { openFactorSecret } from './factor-secret.js';
import { normalizeRecoveryCode, recoveryCodeHash } from './recovery-codes.js';
import { matchTotp } from './totp.js';

type CheckDeps = Pick<FastifyInstance, 'oneTimeCodes' | 'secrets' | 'clock'>;

/**
 * Five wrong codes lock the factor for five minutes: a million six-digit codes (three steps
 * accepted at a time) then take years to guess, while a person who mistypes waits briefly.
 * Counted per user in the database, so every instance and every source address share the count.
 */
export const SECOND_FACTOR_FAILURES: FailurePolicy = { maxFailures: 5, lockMs: 5 * 60_000 };

/** What the person typed on a code form: a TOTP code and/or a recovery code. */
export interface TypedCodes {
  readonly code?: string | undefined;
  readonly recoveryCode?: string | undefined;
}

export type SecondFactorResult =
  | { readonly kind: 'accepted'; readonly method: 'totp' | 'recovery_code' }
  | { readonly kind: 'wrong' }
  | { readonly kind: 'locked'; readonly retryAfterSeconds: number }
  | { readonly kind: 'not_enrolled' };

/**
 * Checks a second factor for `userId`: a TOTP code (RFC 6238) whose time step was not used
 * before, or an unused recovery code (either field may hold a recovery code: people paste it
 * where the cursor is). A wrong answer counts towards the lock; a locked factor checks nothing.
 */
export async function checkSecondFactor(
  deps: CheckDeps,
  userId: string,
  typed: TypedCodes,
  ip: string,
): Promise<SecondFactorResult> {
  const now = deps.clock.now();
  const factor = await deps.oneTimeCodes.find(userId, now);
  if (!factor?.confirmed) return { kind: 'not_enrolled' };
  const lockedFor = (until: number) => ({
    kind: 'locked' as const,
    retryAfterSeconds: Math.max(1, Math.ceil((until - now) / 1000)),
  });
  if (factor.lockedUntil !== null && now < factor.lockedUntil) return lockedFor(factor.lockedUntil);

  const code = (typed.code ?? '').replace(/\s/g, '');
  if (/^\d{6}$/.test(code)) {
    const secret = openFactorSecret(factor.secret, deps.secrets.oneTimeCodeKey, userId);
    const step = await matchTotp(secret, code, now, factor.lastUsedStep);
    // The store takes the step only if no other request took it (or a later one) meanwhile.
    if (step !== null && (await deps.oneTimeCodes.useStep(userId, step, now)))
      return { kind: 'accepted', method: 'totp' };
  } else {
    const recovery = normalizeRecoveryCode(typed.recoveryCode || typed.code || '');
    if (
      recovery !== null &&
      (await deps.oneTimeCodes.useRecoveryCode(userId, recoveryCodeHash(recovery), now, { ip }))
    )
      return { kind: 'accepted', method: 'recovery_code' };
  }
  const lockedUntil = await deps.oneTimeCodes.recordFailure(userId, now, SECOND_FACTOR_FAILURES, {
    ip,
  });
  return lockedUntil === null ? { kind: 'wrong' } : lockedFor(lockedUntil);
}
