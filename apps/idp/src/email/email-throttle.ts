import { sha256Hex } from '@idp/oidc';
import type { Redis } from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';

/** Requests from one network address: password-reset requests and sign-ups, each per window. */
const RESETS_PER_ADDRESS = 10;
const SIGNUPS_PER_ADDRESS = 5;
/** Messages to one mailbox per window, whatever asked for them: no mail bombing through us. */
const MAILS_PER_MAILBOX = 5;
const WINDOW_SECONDS = 15 * 60;
const SIGNUP_WINDOW_SECONDS = 60 * 60;

export type EmailRequestKind = 'reset' | 'signup';

/**
 * Limits the pages that send e-mail, like the login throttle: counters in Redis when configured
 * (with an in-process insurance limiter), else in memory; keys are SHA-256 hashes. Per network
 * address the person is told to wait (it says nothing about any account); per mailbox the
 * message is quietly not sent, so the answer stays the same whether the address has an account.
 */
export class EmailThrottle {
  readonly #byAddress: Record<EmailRequestKind, RateLimiterAbstract>;
  readonly #byMailbox: RateLimiterAbstract;

  constructor(redis?: Redis) {
    const limiter = (name: string, points: number, duration: number): RateLimiterAbstract => {
      const memory = new RateLimiterMemory({ keyPrefix: `idp:email:${name}`, points, duration });
      if (!redis) return memory;
      return new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `idp:email:${name}`,
        points,
        duration,
        rejectIfRedisNotReady: true,
        insuranceLimiter: memory,
      });
    };
    this.#byAddress = {
      reset: limiter('reset-address', RESETS_PER_ADDRESS, WINDOW_SECONDS),
      signup: limiter('signup-address', SIGNUPS_PER_ADDRESS, SIGNUP_WINDOW_SECONDS),
    };
    this.#byMailbox = limiter('mailbox', MAILS_PER_MAILBOX, WINDOW_SECONDS);
  }

  /** Counts a request from `address`; seconds to wait when it is one too many, else undefined. */
  async refuseAddress(kind: EmailRequestKind, address: string): Promise<number | undefined> {
    return refusal(this.#byAddress[kind], sha256Hex(address));
  }

  /** Counts a message to `mailbox` (lower-cased); false when it must not be sent. */
  async mayMail(mailbox: string): Promise<boolean> {
    return (await refusal(this.#byMailbox, sha256Hex(mailbox.toLowerCase()))) === undefined;
  }
}

async function refusal(limiter: RateLimiterAbstract, key: string): Promise<number | undefined> {
  try {
    await limiter.consume(key);
    return undefined;
  } catch (error) {
    if (error instanceof RateLimiterRes) return Math.max(1, Math.ceil(error.msBeforeNext / 1000));
    throw error;
  }
}
