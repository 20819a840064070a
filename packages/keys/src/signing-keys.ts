import type { Clock } from './clock.js';
import { generateSigningKey, type RsaKeySize } from './generate-signing-key.js';
import { decryptPrivateKey } from './key-encryption.js';
import { KeyError } from './key-error.js';
import { activeKey, keyState, keyTimeline, type KeyPolicy } from './key-lifecycle.js';
import {
  planBootstrap,
  planRetire,
  planRevoke,
  planRotation,
  type RotationResult,
} from './key-plans.js';
import type { SigningAlgorithm } from './signing-algorithm.js';
import type { SigningKeyStore } from './signing-key-store.js';
import type { KeyState, StoredSigningKey } from './signing-key.js';

/** Settings that govern key management, in milliseconds. */
export interface SigningKeyPolicy extends KeyPolicy {
  /** Modulus length of new RSA keys (RS256, PS256). */
  readonly keySize: RsaKeySize;
  /** A new key is published at least this long before it signs (the JWKS max-age). */
  readonly prePublicationMs: number;
  /** Automatic rotation interval; 0 = off. */
  readonly rotationIntervalMs: number;
  /**
   * The algorithms the server keeps a signing key for (IDP_SIGNING_ALGORITHMS); RS256 alone
   * when absent. Each has its own active key, rotation and scheduled rotation.
   */
  readonly algorithms?: readonly SigningAlgorithm[];
}

/** One key as an operator sees it. */
export interface SigningKeyView {
  readonly kid: string;
  readonly alg: SigningAlgorithm;
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

  constructor(options: {
    store: SigningKeyStore;
    kek: Buffer;
    clock: Clock;
    policy: SigningKeyPolicy;
  }) {
    this.#store = options.store;
    this.#kek = options.kek;
    this.#clock = options.clock;
    this.#policy = options.policy;
  }

  /** The algorithms this server keeps signing keys for, in the order configured. */
  get algorithms(): readonly SigningAlgorithm[] {
    return this.#policy.algorithms ?? ['RS256'];
  }

  /**
   * Generates a key under this process's key-encryption key, after checking that the key decrypts
   * a stored key that is not revoked: a CLI run without the server's IDP_KEY_ENCRYPTION_KEY (or
   * with a fresh kek file) would otherwise add a key the servers cannot decrypt, and they could
   * not sign once it activates.
   */
  async #generate(alg: SigningAlgorithm) {
    const stored = (await this.#store.list()).find((k) => k.revokedAt === null);
    if (stored) decryptPrivateKey(stored.privateKey, this.#kek, stored.kid);
    return generateSigningKey(alg, this.#kek, this.#policy.keySize);
  }

  #enabled(alg: SigningAlgorithm): void {
    if (!this.algorithms.includes(alg)) {
      throw new KeyError(
        'algorithm_not_enabled',
        `${alg} is not among the signing algorithms of this server (${this.algorithms.join(', ')}); add it to IDP_SIGNING_ALGORITHMS first`,
      );
    }
  }

  async list(): Promise<SigningKeyView[]> {
    const now = this.#clock.now();
    const keys = await this.#store.list();
    return keys
      .map((key) => ({
        kid: key.kid,
        alg: key.alg,
        state: keyState(key, now, this.#policy),
        size: key.size,
        createdAt: key.createdAt,
        ...keyTimeline(key, this.#policy),
        revokedAt: key.revokedAt,
      }))
      .sort((a, b) => a.activatesAt - b.activatesAt || a.createdAt - b.createdAt);
  }

  /**
   * Adds a key for `alg` (RS256 unless told). By default it signs once it has been published for
   * the pre-publication period, so caching verifiers learn it first; `immediately` skips that
   * wait (emergencies, tests). Only that algorithm's keys retire.
   */
  async rotate(options: {
    immediately?: boolean;
    actor: string;
    alg?: SigningAlgorithm;
  }): Promise<RotationResult> {
    const alg = options.alg ?? 'RS256';
    this.#enabled(alg);
    const newKey = await this.#generate(alg);
    return this.#store.change((keys) => {
      const now = this.#clock.now();
      const activatesAt = options.immediately ? now : now + this.#policy.prePublicationMs;
      return planRotation(keys, newKey, now, activatesAt);
    }, options.actor);
  }

  async retire(kid: string, actor: string) {
    return this.#store.change(
      (keys) => planRetire(keys, kid, this.#clock.now(), this.#policy, this.algorithms),
      actor,
    );
  }

  /** Revokes a key; the replacement, if one is needed, is a new key of the same algorithm. */
  async revoke(kid: string, actor: string) {
    const alg = (await this.#store.list()).find((k) => k.kid === kid)?.alg;
    const replacement = alg && this.algorithms.includes(alg) ? await this.#generate(alg) : null;
    return this.#store.change((keys) => {
      // The key's algorithm cannot change, but the key may have vanished meanwhile: planRevoke says so.
      const fits =
        replacement !== null && keys.some((k) => k.kid === kid && k.alg === replacement.alg);
      return planRevoke(keys, kid, fits ? replacement : null, this.#clock.now(), this.#policy);
    }, actor);
  }

  /** Makes sure a key of `alg` signs now (first start). Returns the new key, or null if one already did. */
  async ensureActiveKey(
    actor: string,
    alg: SigningAlgorithm = 'RS256',
  ): Promise<RotationResult | null> {
    const ofAlg = (keys: readonly StoredSigningKey[]) => keys.filter((k) => k.alg === alg);
    if (activeKey(ofAlg(await this.#store.list()), this.#clock.now(), this.#policy)) return null;
    const newKey = await this.#generate(alg);
    return this.#store.change(
      (keys) => planBootstrap(keys, newKey, this.#clock.now(), this.#policy),
      actor,
    );
  }

  /** `ensureActiveKey` for every enabled algorithm; returns the keys it created. */
  async ensureActiveKeys(actor: string): Promise<RotationResult[]> {
    const created: RotationResult[] = [];
    for (const alg of this.algorithms) {
      const result = await this.ensureActiveKey(actor, alg);
      if (result) created.push(result);
    }
    return created;
  }

  /**
   * Scheduled rotation, per enabled algorithm: once its active key has signed for the rotation
   * interval and no successor is scheduled, schedule one (published now, signing after
   * pre-publication). Returns the keys it added.
   */
  async rotateIfDue(actor: string): Promise<RotationResult[]> {
    const interval = this.#policy.rotationIntervalMs;
    if (interval <= 0) return [];
    const isDue = (keys: readonly StoredSigningKey[], alg: SigningAlgorithm, now: number) => {
      const active = activeKey(
        keys.filter((k) => k.alg === alg),
        now,
        this.#policy,
      );
      return (
        active !== undefined && active.retiredAt === null && now >= active.activatesAt + interval
      );
    };
    const rotated: RotationResult[] = [];
    for (const alg of this.algorithms) {
      if (!isDue(await this.#store.list(), alg, this.#clock.now())) continue;
      const newKey = await this.#generate(alg);
      const result = await this.#store.change((keys) => {
        const now = this.#clock.now();
        // Another instance may have rotated while this one generated its key.
        if (!isDue(keys, alg, now)) return { updates: [], events: [], result: null };
        return planRotation(keys, newKey, now, now + this.#policy.prePublicationMs);
      }, actor);
      if (result) rotated.push(result);
    }
    return rotated;
  }
}
