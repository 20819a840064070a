import { randomUUID } from 'node:crypto';
import {
  LOGOUT_TOKEN_TYP,
  logoutNotices,
  logoutTokenClaims,
  type AuditLog,
  type Clock,
  type EndedSession,
  type LogoutNotice,
  type RegisteredClient,
  type TokenSigner,
} from '@idp/oidc';
import type { BackchannelLogoutOutcome, Metrics } from '../metrics/metrics.js';
import {
  OutboundDestinationRefused,
  outboundRequest,
  type OutboundPolicy,
} from '../outbound/outbound-http.js';

/** How long a logout token is valid: long enough for the retries, short as 2.4 asks. */
export const LOGOUT_TOKEN_TTL_SECONDS = 120;

/** Attempts per logout token, and the wait before the first retry (doubling after each). */
export interface RetryPolicy {
  readonly attempts: number;
  readonly firstBackoffMs: number;
  /** Per attempt: the whole exchange, connection to last byte. */
  readonly timeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  attempts: 4,
  firstBackoffMs: 1_000,
  timeoutMs: 5_000,
};

/** The pino methods used here (the server's logger, or the CLI's). */
export interface DeliveryLogger {
  info(data: Record<string, unknown>, message: string): void;
  warn(data: Record<string, unknown>, message: string): void;
}

export interface BackchannelLogoutDeps {
  readonly issuer: string;
  readonly signer: TokenSigner;
  readonly clients: { findById(clientId: string): Promise<RegisteredClient | null> };
  readonly outbound: OutboundPolicy;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly logger: DeliveryLogger;
  readonly metrics?: Pick<Metrics, 'backchannelLogout'>;
  readonly retry?: RetryPolicy;
}

/** How one logout token's delivery ended. */
export interface DeliveryResult {
  readonly clientId: string;
  readonly sessionId: string;
  readonly outcome: BackchannelLogoutOutcome;
  readonly attempts: number;
  /** The last HTTP status, if any answer came. */
  readonly status?: number;
  /** Why it was not delivered. */
  readonly error?: string;
}

/**
 * Back-Channel Logout 1.0 2.5-2.8: tells the clients of ended sessions, by a logout token POSTed
 * as `logout_token` to each one's backchannel_logout_uri through the outbound rules (https, no
 * private destinations unless allowed, a timeout, no redirects). Network errors, timeouts and
 * 5xx answers are retried with doubling waits, up to `attempts`; other answers are final, and so
 * is a destination the outbound rules refuse (asking again would be refused again).
 * Failures are logged and audited (`logout.backchannel_failed`), and counted when metrics are on.
 *
 * `notifyInBackground` is for request handlers: it returns at once, so a person's logout page
 * never waits for a client. `close` stops the retries and waits for what is in flight.
 */
export class BackchannelLogout {
  readonly #deps: BackchannelLogoutDeps;
  readonly #retry: RetryPolicy;
  readonly #pending = new Set<Promise<unknown>>();
  readonly #closing = new AbortController();

  constructor(deps: BackchannelLogoutDeps) {
    this.#deps = deps;
    this.#retry = deps.retry ?? DEFAULT_RETRY_POLICY;
  }

  /** Starts telling the clients of `ended` and returns at once; failures are only logged. */
  notifyInBackground(ended: readonly (EndedSession | null)[]): void {
    const sessions = ended.filter((s): s is EndedSession => s !== null && s.clientIds.length > 0);
    if (sessions.length === 0) return;
    const delivery = this.notify(sessions).catch((error: unknown) =>
      this.#deps.logger.warn({ err: error }, 'back-channel logout could not start'),
    );
    this.#pending.add(delivery);
    void delivery.finally(() => this.#pending.delete(delivery));
  }

  /** Tells the clients of `ended` and waits until each delivery has ended, one result each. */
  async notify(ended: readonly (EndedSession | null)[]): Promise<DeliveryResult[]> {
    const notices: LogoutNotice[] = [];
    for (const session of ended) {
      if (!session || session.clientIds.length === 0) continue;
      const clients = await Promise.all(
        session.clientIds.map((id) => this.#deps.clients.findById(id)),
      );
      notices.push(...logoutNotices(session, clients));
    }
    return Promise.all(notices.map((notice) => this.#deliver(notice)));
  }

  /** Stops retrying (deliveries in their wait end as failed) and waits for those in flight. */
  async close(): Promise<void> {
    this.#closing.abort();
    await Promise.allSettled([...this.#pending]);
  }

  async #deliver(notice: LogoutNotice): Promise<DeliveryResult> {
    const { logger } = this.#deps;
    let result: DeliveryResult;
    try {
      const token = await this.#deps.signer.sign(
        logoutTokenClaims(notice, {
          issuer: this.#deps.issuer,
          now: this.#deps.clock.now(),
          ttlSeconds: LOGOUT_TOKEN_TTL_SECONDS,
          jti: randomUUID(),
        }),
        { typ: LOGOUT_TOKEN_TYP, alg: notice.alg },
      );
      result = await this.#post(notice, token);
    } catch (error) {
      result = {
        clientId: notice.clientId,
        sessionId: notice.sessionId,
        outcome: 'failed',
        attempts: 0,
        error: error instanceof Error ? error.message : String(error),
      };
    }
    this.#deps.metrics?.backchannelLogout(result.outcome);
    const logged = {
      clientId: result.clientId,
      attempts: result.attempts,
      status: result.status,
      error: result.error,
    };
    if (result.outcome === 'delivered') {
      logger.info(logged, 'back-channel logout delivered');
      return result;
    }
    logger.warn(logged, `back-channel logout ${result.outcome}`);
    await this.#deps.audit
      .record(
        {
          type: 'logout.backchannel_failed',
          userId: notice.subject,
          clientId: notice.clientId,
          data: {
            outcome: result.outcome,
            attempts: result.attempts,
            ...(result.status === undefined ? {} : { status: result.status }),
            ...(result.error === undefined ? {} : { error: result.error }),
          },
        },
        this.#deps.clock.now(),
      )
      .catch((error: unknown) =>
        logger.warn({ err: error }, 'could not audit a failed back-channel logout'),
      );
    return result;
  }

  /** The POST of 2.5, retried on network errors, timeouts and 5xx. */
  async #post(notice: LogoutNotice, token: string): Promise<DeliveryResult> {
    const base = { clientId: notice.clientId, sessionId: notice.sessionId };
    const policy = { ...this.#deps.outbound, timeoutMs: this.#retry.timeoutMs };
    let last: { status?: number; error?: string } = {};
    for (let attempt = 1; attempt <= this.#retry.attempts; attempt += 1) {
      if (attempt > 1) {
        const waited = await this.#wait(this.#retry.firstBackoffMs * 2 ** (attempt - 2));
        if (!waited)
          return {
            ...base,
            outcome: 'failed',
            attempts: attempt - 1,
            ...last,
            error: 'server closing',
          };
      }
      try {
        const response = await outboundRequest(notice.uri, policy, {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'cache-control': 'no-store',
          },
          body: new URLSearchParams({ logout_token: token }).toString(),
        });
        // 2.8: 200 OK (or 204) on success; 400 when the RP could not use the token, final.
        if (response.status >= 200 && response.status < 300)
          return { ...base, outcome: 'delivered', attempts: attempt, status: response.status };
        if (response.status < 500)
          return { ...base, outcome: 'rejected', attempts: attempt, status: response.status };
        last = { status: response.status, error: `answered ${response.status}` };
      } catch (error) {
        if (error instanceof OutboundDestinationRefused)
          return { ...base, outcome: 'failed', attempts: attempt, error: error.message };
        last = { error: error instanceof Error ? error.message : String(error) };
      }
    }
    return { ...base, outcome: 'failed', attempts: this.#retry.attempts, ...last };
  }

  /** Waits `ms`; false when closing cut the wait short. */
  #wait(ms: number): Promise<boolean> {
    const signal = this.#closing.signal;
    if (signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', stop);
        resolve(true);
      }, ms);
      const stop = () => {
        clearTimeout(timer);
        resolve(false);
      };
      signal.addEventListener('abort', stop, { once: true });
    });
  }
}
