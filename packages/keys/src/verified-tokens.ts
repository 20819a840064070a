import type { KeyObject } from 'node:crypto';
import type { JWTVerifyResult } from 'jose';
import { LRUCache } from 'lru-cache';

/** A token that passed every check once, and what it takes to trust that result again. */
interface Verified {
  readonly result: JWTVerifyResult;
  /** The key that verified it: a hit counts only while that very key still verifies. */
  readonly key: KeyObject;
  readonly kid: string;
  /** `exp` in milliseconds: jose's own test (`exp <= now` in whole seconds) is `now >= expiresAt`. */
  readonly expiresAt: number;
}

/**
 * Tokens that verified, so that one presented again is not checked with RSA again. Access tokens
 * come back: a resource server introspects the same bearer token on each of its API calls, and
 * an app calls userinfo with the token it holds. The result depends only on the token text, the
 * checks asked for (part of the key) and the time, so a hit re-checks what can change: that the
 * signing key is still one that verifies (a revoked key's tokens are refused at once) and that
 * the token has not expired (checked here at the caller's `now`, not by lru-cache's own clock).
 * Bounded; the least recently used entry goes first. Failures are never kept.
 */
export class VerifiedTokens {
  readonly #entries: LRUCache<string, Verified>;

  constructor(capacity: number) {
    this.#entries = new LRUCache({ max: capacity });
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The remembered result for `cacheKey` if it still holds at `now` with these verifying keys. */
  get(
    cacheKey: string,
    verifying: ReadonlyMap<string, KeyObject>,
    now: number,
  ): JWTVerifyResult | undefined {
    const entry = this.#entries.get(cacheKey);
    if (!entry) return undefined;
    if (now >= entry.expiresAt || verifying.get(entry.kid) !== entry.key) {
      this.#entries.delete(cacheKey);
      return undefined;
    }
    // A copy per caller: a caller that changed its payload must not change the next one's.
    return {
      payload: { ...entry.result.payload },
      protectedHeader: { ...entry.result.protectedHeader },
    };
  }

  /** Keeps a successful verification; tokens without a numeric `exp` or `kid` are not kept. */
  remember(cacheKey: string, result: JWTVerifyResult, key: KeyObject): void {
    const { exp } = result.payload;
    const { kid } = result.protectedHeader;
    if (typeof exp !== 'number' || typeof kid !== 'string') return;
    // Callers get shallow copies, so what they could reach of the kept entry (an `aud` array, an
    // object claim) is frozen: changing it throws instead of changing the next caller's token.
    const kept = deepFreeze(
      structuredClone({ payload: result.payload, protectedHeader: result.protectedHeader }),
    );
    this.#entries.set(cacheKey, { result: kept, key, kid, expiresAt: exp * 1000 });
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}
