import { randomUUID } from 'node:crypto';
import {
  LOGOUT_TOKEN_TYP,
  logoutNotices,
  logoutTokenClaims,
  type AuditLog,
  type Clock,
  type EndedSession,
  type LogoutDelivery,
  type LogoutDeliveryStore,
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

/**
 * How long a logout token is valid: short, as 2.4 asks. Queued deliveries keep the notice and
 * sign a new token at each attempt, so this need not cover the retries.
 */
export const LOGOUT_TOKEN_TTL_SECONDS = 120;

/**
 * The queue worker: how often it looks for due deliveries (new ones wake it at once, so this
 * paces retries, whose first wait is a second), and how many it takes at once.
 */
const POLL_MS = 1_000;
const CLAIM_LIMIT = 20;

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
  /**
   * The durable queue (the server's): `notifyInBackground` stores the deliveries there and
   * `start` runs the worker that makes them, so a restart between retries loses none. Without
   * it (the CLI, which waits for its deliveries) retries are in memory.
   */
  readonly queue?: LogoutDeliveryStore;
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
  /** A failure that another attempt may mend (network error, timeout, 5xx). */
  readonly retryable?: boolean;
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
  #running = false;
  /** Ends the worker's current wait early (new deliveries were queued). */
  #wake: (() => void) | undefined;

  constructor(deps: BackchannelLogoutDeps) {
    this.#deps = deps;
    this.#retry = deps.retry ?? DEFAULT_RETRY_POLICY;
  }

  /**
   * Queues the logout tokens of `ended` and returns once they are stored (one insert; no client
   * is contacted on the caller's path), then wakes the worker. Without a queue, starts telling
   * the clients in memory and returns at once. Failures are only logged.
   */
  async notifyInBackground(ended: readonly (EndedSession | null)[]): Promise<void> {
    const sessions = ended.filter((s): s is EndedSession => s !== null && s.clientIds.length > 0);
    if (sessions.length === 0) return;
    const { queue } = this.#deps;
    if (queue) {
      try {
        await queue.enqueue(await this.#notices(sessions), this.#deps.clock.now());
        this.#wake?.();
      } catch (error) {
        this.#deps.logger.warn({ err: error }, 'back-channel logout could not be queued');
      }
      return;
    }
    this.#track(
      this.notify(sessions).catch((error: unknown) =>
        this.#deps.logger.warn({ err: error }, 'back-channel logout could not start'),
      ),
    );
  }

  /**
   * Runs the queue worker until `close`: claims due deliveries under a lease (so that no other
   * process of the cluster makes the same one meanwhile; one whose claimer died is claimed again
   * when the lease ends), makes one attempt each, and then removes, reschedules with a doubling
   * wait, or gives up on each. A lease outlasts an attempt's timeout, so it never runs out under
   * a live attempt.
   */
  start(): void {
    const { queue } = this.#deps;
    if (!queue || this.#running) return;
    this.#running = true;
    const leaseMs = this.#retry.timeoutMs * 2 + 5_000;
    // One warning per outage, not one a second while the database is down.
    let unreadable = false;
    const loop = async () => {
      while (!this.#closing.signal.aborted) {
        try {
          const claimed = await queue.claim(this.#deps.clock.now(), leaseMs, CLAIM_LIMIT);
          if (unreadable) this.#deps.logger.info({}, 'back-channel logout queue readable again');
          unreadable = false;
          await Promise.all(claimed.map((delivery) => this.#attemptQueued(queue, delivery)));
          if (claimed.length === CLAIM_LIMIT) continue;
        } catch (error) {
          if (!unreadable)
            this.#deps.logger.warn({ err: error }, 'back-channel logout queue could not be read');
          unreadable = true;
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, POLL_MS);
          const signal = this.#closing.signal;
          function done() {
            clearTimeout(timer);
            signal.removeEventListener('abort', done);
            resolve();
          }
          this.#wake = done;
          signal.addEventListener('abort', done, { once: true });
        });
        this.#wake = undefined;
      }
    };
    this.#track(loop());
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

  #track(work: Promise<unknown>): void {
    this.#pending.add(work);
    void work.finally(() => this.#pending.delete(work));
  }

  async #notices(sessions: readonly EndedSession[]): Promise<LogoutNotice[]> {
    const notices: LogoutNotice[] = [];
    for (const session of sessions) {
      const clients = await Promise.all(
        session.clientIds.map((id) => this.#deps.clients.findById(id)),
      );
      notices.push(...logoutNotices(session, clients));
    }
    return notices;
  }

  /** One attempt of a claimed delivery, then its fate in the queue. */
  async #attemptQueued(queue: LogoutDeliveryStore, delivery: LogoutDelivery): Promise<void> {
    const { notice, attempts } = delivery;
    // The delivery's id is the token's jti: every attempt is the same logout event to the RP.
    const result = await this.#signed(
      notice,
      (token) => this.#postOnce(notice, token, attempts),
      delivery.id,
    );
    const retryable = result.outcome === 'failed' && result.retryable === true;
    if (retryable && attempts < this.#retry.attempts) {
      const wait = this.#retry.firstBackoffMs * 2 ** (attempts - 1);
      await queue.retryAt(delivery.id, this.#deps.clock.now() + wait);
      return;
    }
    await queue.remove(delivery.id);
    await this.#report(notice, result);
  }

  /** Stops retrying (deliveries in their wait end as failed) and waits for those in flight. */
  async close(): Promise<void> {
    this.#closing.abort();
    await Promise.allSettled([...this.#pending]);
  }

  async #deliver(notice: LogoutNotice): Promise<DeliveryResult> {
    const result = await this.#signed(notice, (token) => this.#post(notice, token));
    await this.#report(notice, result);
    return result;
  }

  /**
   * Signs a logout token for `notice` now and hands it to `post`; a signing error fails it.
   * Queued deliveries store the notice, not a token, and sign at each attempt: a token signed
   * when the session ended would have expired (2.4 asks for a short `exp`) by the time a retry
   * after a restart is made, and it need not sit in the database, where anyone reading it could
   * replay a valid logout to the RP until it expired. The jti stays the delivery's.
   */
  async #signed(
    notice: LogoutNotice,
    post: (token: string) => Promise<DeliveryResult>,
    jti: string = randomUUID(),
  ): Promise<DeliveryResult> {
    try {
      const token = await this.#deps.signer.sign(
        logoutTokenClaims(notice, {
          issuer: this.#deps.issuer,
          now: this.#deps.clock.now(),
          ttlSeconds: LOGOUT_TOKEN_TTL_SECONDS,
          jti,
        }),
        { typ: LOGOUT_TOKEN_TYP, alg: notice.alg },
      );
      return await post(token);
    } catch (error) {
      return {
        clientId: notice.clientId,
        sessionId: notice.sessionId,
        outcome: 'failed',
        attempts: 0,
        error: error instanceof Error ? error.message : String(error),
      };
    }
  }

  /** Logs, counts and (unless delivered) audits how a delivery ended. */
  async #report(notice: LogoutNotice, result: DeliveryResult): Promise<void> {
    const { logger } = this.#deps;
    this.#deps.metrics?.backchannelLogout(result.outcome);
    const logged = {
      clientId: result.clientId,
      attempts: result.attempts,
      status: result.status,
      error: result.error,
    };
    if (result.outcome === 'delivered') {
      logger.info(logged, 'back-channel logout delivered');
      return;
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
  }

  /**
   * One POST of 2.5, as attempt number `attempt`: a network error, timeout or 5xx is a failure
   * marked `retryable`; any other answer, or a refused destination, is final.
   */
  async #postOnce(notice: LogoutNotice, token: string, attempt: number): Promise<DeliveryResult> {
    const base = { clientId: notice.clientId, sessionId: notice.sessionId, attempts: attempt };
    try {
      const response = await this.#send(notice, token);
      if (response.status >= 200 && response.status < 300)
        return { ...base, outcome: 'delivered', status: response.status };
      if (response.status < 500) return { ...base, outcome: 'rejected', status: response.status };
      return {
        ...base,
        outcome: 'failed',
        status: response.status,
        error: `answered ${response.status}`,
        retryable: true,
      };
    } catch (error) {
      if (error instanceof OutboundDestinationRefused)
        return { ...base, outcome: 'failed', error: error.message };
      const message = error instanceof Error ? error.message : String(error);
      return { ...base, outcome: 'failed', error: message, retryable: true };
    }
  }

  #send(notice: LogoutNotice, token: string) {
    const policy = { ...this.#deps.outbound, timeoutMs: this.#retry.timeoutMs };
    return outboundRequest(notice.uri, policy, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'cache-control': 'no-store',
      },
      body: new URLSearchParams({ logout_token: token }).toString(),
    });
  }

  /** The POST of 2.5, retried on network errors, timeouts and 5xx. */
  async #post(notice: LogoutNotice, token: string): Promise<DeliveryResult> {
    const base = { clientId: notice.clientId, sessionId: notice.sessionId };
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
        const response = await this.#send(notice, token);
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
