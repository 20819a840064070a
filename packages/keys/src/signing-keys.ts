import type { Clock } from './clock.js';
import { generateSigningKey, type RsaKeySize } from './generate-signing-key.js';
import { activeKey, keyState, keyTimeline, type KeyPolicy } from './key-lifecycle.js';
import { planBootstrap, planRetire, planRevoke, planRotation, type RotationResult } from './key-plans.js';
import type { SigningKeyStore } from './signing-key-store.js';
import type { KeyState } from './signing-key.js';

/** Settings that govern key management, in milliseconds. */
export interface SigningKeyPolicy extends KeyPolicy {
  readonly keySize: RsaKeySize;
  /** A new key is published at least this long before it signs (the JWKS max-age). */
  readonly prePublicationMs: number;
  /** Automatic rotation interval; 0 = off. */
  readonly rotationIntervalMs: number;
}

/** One key as an operator sees it. */
export interface SigningKeyView {
  readonly kid: string;
  readonly state: KeyState;
  readonly size: number;
  readonly createdAt: number;
  readonly activatesAt: number;
  readonly retiresAt: number | null;
  readonly removesAt: number | null;
  readonly revokedAt: number | null;
}

/**
 * The operations on the key set: what the CLI, the admin API and the scheduler call. Each one
 * generates any new key first (slow, outside the transaction), then decides and writes in one
 * serialised `store.change`.
 */
export class SigningKeys {
  readonly #store: SigningKeyStore;
  readonly #kek: Buffer;
  readonly #clock: Clock;
  readonly #policy: SigningKeyPolicy;

  constructor(options: { store: SigningKeyStore; kek: Buffer; clock: Clock; policy: SigningKeyPolicy }) {
    this.#store = options.store;
    this.#kek = options.kek;
    this.#clock = options.clock;
    this.#policy = options.policy;
  }

  async list(): Promise<SigningKeyView[]> {
    const now = this.#clock.now();
    const keys = await this.#store.list();
    return keys
      .map((key) => ({
        kid: key.kid,
        state: keyState(key, now, this.#policy),
        size: key.size,
        createdAt: key.createdAt,
        ...keyTimeline(key, this.#policy),
        revokedAt: key.revokedAt,
      }))
      .sort((a, b) => a.activatesAt - b.activatesAt || a.createdAt - b.createdAt);
  }

  /**
   * Adds a key. By default it signs once it has been published for the pre-publication period,
   * so caching verifiers learn it first; `immediately` skips that wait (emergencies, tests).
   */
  async rotate(options: { immediately?: boolean; actor: string }): Promise<RotationResult> {
    const newKey = await generateSigningKey(this.#policy.keySize, this.#kek);
    return this.#store.change((keys) => {
      const now = this.#clock.now();
      const activatesAt = options.immediately ? now : now + this.#policy.prePublicationMs;
      return planRotation(keys, newKey, now, activatesAt);
    }, options.actor);
  }

  async retire(kid: string, actor: string) {
    return this.#store.change((keys) => planRetire(keys, kid, this.#clock.now(), this.#policy), actor);
  }

  async revoke(kid: string, actor: string) {
    const replacement = await generateSigningKey(this.#policy.keySize, this.#kek);
    return this.#store.change(
      (keys) => planRevoke(keys, kid, replacement, this.#clock.now(), this.#policy),
      actor,
    );
  }

  /** Makes sure a key signs now (first start). Returns the new key, or null if one already did. */
  async ensureActiveKey(actor: string): Promise<RotationResult | null> {
    if (activeKey(await this.#store.list(), this.#clock.now(), this.#policy)) return null;
    const newKey = await generateSigningKey(this.#policy.keySize, this.#kek);
    return this.#store.change(
      (keys) => planBootstrap(keys, newKey, this.#clock.now(), this.#policy),
      actor,
    );
  }

  /**
   * Scheduled rotation: once the active key has signed for the rotation interval and no
   * successor is scheduled, schedule one (published now, signing after pre-publication).
   */
  async rotateIfDue(actor: string): Promise<RotationResult | null> {
    const interval = this.#policy.rotationIntervalMs;
    if (interval <= 0) return null;
    const isDue = (keys: Parameters<typeof activeKey>[0], now: number) => {
      const active = activeKey(keys, now, this.#policy);
      return active !== undefined && active.retiredAt === null && now >= active.activatesAt + interval;
    };
    if (!isDue(await this.#store.list(), this.#clock.now())) return null;
    const newKey = await generateSigningKey(this.#policy.keySize, this.#kek);
    return this.#store.change((keys) => {
      const now = this.#clock.now();
      // Another instance may have rotated while this one generated its key.
      if (!isDue(keys, now)) return { updates: [], events: [], result: null };
      return planRotation(keys, newKey, now, now + this.#policy.prePublicationMs);
    }, actor);
  }
}
