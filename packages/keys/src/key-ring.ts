import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import {
  decodeJwt,
  decodeProtectedHeader,
  errors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyResult,
} from 'jose';
import { signCompactJws } from './compact-jws.js';
import type { Clock } from './clock.js';
import { KeyError } from './key-error.js';
import { decryptPrivateKey } from './key-encryption.js';
import { keyState, nextTransition, type KeyPolicy } from './key-lifecycle.js';
import { buildJwksDocument, type JwksDocument } from './jwks-document.js';
import { SIGNING_ALGORITHMS, type SigningAlgorithm } from './signing-algorithm.js';
import type { SigningKeyStore } from './signing-key-store.js';
import type { StoredSigningKey } from './signing-key.js';
import { VerifiedTokens } from './verified-tokens.js';

/** What the key set looks like between two state transitions. */
interface Snapshot {
  readonly validUntil: number;
  /** The one active key of each algorithm that has one. */
  readonly signing: ReadonlyMap<
    SigningAlgorithm,
    { readonly kid: string; readonly key: KeyObject }
  >;
  readonly jwks: JwksDocument;
  /** Keys whose tokens still verify: active and retired (pending ones have signed nothing). */
  readonly verifying: ReadonlyMap<string, KeyObject>;
  /** The algorithm of each verifying key: a token's `alg` header must name its key's. */
  readonly algorithms: ReadonlyMap<string, SigningAlgorithm>;
}

export interface SignOptions {
  /** JOSE `typ` header, e.g. `at+jwt` for RFC 9068 access tokens. */
  readonly typ?: string;
  /** The algorithm to sign with; the ring's token algorithm when absent. */
  readonly alg?: SigningAlgorithm;
}

export interface VerifyOptions {
  readonly typ?: string;
  readonly issuer?: string;
  readonly audience?: string | string[];
  /**
   * The same token is expected again (access tokens at userinfo and introspection): a repeat
   * within its lifetime skips the signature check, while its key still verifies (see verified-tokens.ts).
   */
  readonly remember?: boolean;
  /**
   * An expired token still verifies (every other check holds): for hints such as id_token_hint,
   * which are typically old tokens. jose checks `exp` last, after the signature, `typ`, `iss` and
   * `aud`, so its JWTExpired says everything else passed.
   */
  readonly allowExpired?: boolean;
}

/** Most verified tokens a ring remembers (about 1 KiB each). */
export const REMEMBERED_TOKENS = 10_000;

/**
 * The signing keys as one instance sees them: refreshed from the store (the server calls `refresh`
 * on an interval), imported once per key (never per request), with the JWKS document and the
 * signing key precomputed until the next state transition. Hot paths (`jwks`, `sign`, `verify`) do no I/O.
 */
export class KeyRing {
  readonly #store: SigningKeyStore;
  readonly #kek: Buffer;
  readonly #clock: Clock;
  readonly #policy: KeyPolicy;
  readonly #tokenAlg: SigningAlgorithm;
  #rows: readonly StoredSigningKey[] = [];
  #rowsVersion = '';
  /** Reads started and the latest one applied: a slow read never overwrites a newer one. */
  #readsStarted = 0;
  #readApplied = 0;
  /** When the latest read started (performance.now(), real time whatever the clock says). */
  #readStartedAt = Number.NEGATIVE_INFINITY;
  #catchingUp: Promise<void> | undefined;
  #catchUpFailed = false;
  readonly #privateKeys = new Map<string, KeyObject>();
  readonly #publicKeys = new Map<string, KeyObject>();
  #snapshot: Snapshot | undefined;
  readonly #verified = new VerifiedTokens(REMEMBERED_TOKENS);

  /** `tokenAlg`: what `sign` uses unless told otherwise (IDP_TOKEN_SIGNING_ALG; RS256 when absent). */
  constructor(options: {
    store: SigningKeyStore;
    kek: Buffer;
    clock: Clock;
    policy: KeyPolicy;
    tokenAlg?: SigningAlgorithm;
  }) {
    this.#store = options.store;
    this.#kek = options.kek;
    this.#clock = options.clock;
    this.#policy = options.policy;
    this.#tokenAlg = options.tokenAlg ?? 'RS256';
  }

  /** Re-reads the key rows; imports keys not seen before. Cheap when nothing changed. */
  async refresh(): Promise<void> {
    const read = ++this.#readsStarted;
    this.#readStartedAt = performance.now();
    const rows = await this.#store.list();
    if (read < this.#readApplied) return;
    this.#readApplied = read;
    const version = rows
      .map((k) => `${k.kid}:${k.activatesAt}:${k.retiredAt}:${k.revokedAt}`)
      .sort()
      .join('|');
    if (version === this.#rowsVersion && this.#snapshot) return;
    const now = this.#clock.now();
    for (const row of rows) {
      const state = keyState(row, now, this.#policy);
      if (state === 'revoked' || state === 'removed') continue;
      if (!this.#publicKeys.has(row.kid)) {
        this.#publicKeys.set(
          row.kid,
          createPublicKey({ key: { ...row.publicJwk }, format: 'jwk' }),
        );
      }
      // Pending keys are imported ahead of time so that activation needs no async work.
      if ((state === 'pending' || state === 'active') && !this.#privateKeys.has(row.kid)) {
        const der = decryptPrivateKey(row.privateKey, this.#kek, row.kid);
        this.#privateKeys.set(
          row.kid,
          createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }),
        );
      }
    }
    this.#rows = rows;
    this.#rowsVersion = version;
    this.#snapshot = this.#buildSnapshot(now);
  }

  /**
   * For requests that publish, sign or verify: re-reads the keys unless a read began less than
   * `minIntervalMs` ago, and waits for it at most `maxWaitMs`, so that a rotation or revocation
   * made elsewhere (the CLI, another instance) is seen by the next request rather than at the next
   * periodic refresh. Returns undefined when there is nothing to wait for (no promise on the hot
   * path); never rejects: the periodic refresh reports failures, and after one a request no
   * longer waits, serving the last known keys while the database is in trouble.
   */
  catchUp(minIntervalMs = 100, maxWaitMs = 250): Promise<void> | undefined {
    if (!this.#catchingUp) {
      if (performance.now() - this.#readStartedAt < minIntervalMs) return undefined;
      this.#catchingUp = this.refresh()
        .then(
          () => void (this.#catchUpFailed = false),
          () => void (this.#catchUpFailed = true),
        )
        .finally(() => (this.#catchingUp = undefined));
    }
    if (this.#catchUpFailed) return undefined;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, maxWaitMs)));
    return Promise.race([this.#catchingUp, deadline]).finally(() => clearTimeout(timer));
  }

  /** The key rows as last read (every state, revoked and removed included), for monitoring. */
  keys(): readonly StoredSigningKey[] {
    return this.#rows;
  }

  #current(): Snapshot {
    const now = this.#clock.now();
    if (!this.#snapshot)
      throw new KeyError('no_active_key', 'signing keys have not been loaded yet');
    if (now >= this.#snapshot.validUntil) this.#snapshot = this.#buildSnapshot(now);
    return this.#snapshot;
  }

  #buildSnapshot(now: number): Snapshot {
    const published: StoredSigningKey[] = [];
    const verifying = new Map<string, KeyObject>();
    const algorithms = new Map<string, SigningAlgorithm>();
    const signing = new Map<SigningAlgorithm, { kid: string; key: KeyObject }>();
    for (const row of this.#rows) {
      const state = keyState(row, now, this.#policy);
      if (state === 'revoked' || state === 'removed') continue;
      published.push(row);
      const publicKey = this.#publicKeys.get(row.kid);
      if (state !== 'pending' && publicKey) {
        verifying.set(row.kid, publicKey);
        algorithms.set(row.kid, row.alg);
      }
      const privateKey = this.#privateKeys.get(row.kid);
      if (state === 'active' && privateKey) signing.set(row.alg, { kid: row.kid, key: privateKey });
    }
    // Oldest first, so that the document is stable while keys come and go.
    published.sort((a, b) => a.activatesAt - b.activatesAt || a.kid.localeCompare(b.kid));
    return {
      validUntil: nextTransition(this.#rows, now, this.#policy),
      signing,
      jwks: buildJwksDocument(published),
      verifying,
      algorithms,
    };
  }

  /** The published JWKS: pending, active and retired keys. */
  jwks(): JwksDocument {
    return this.#current().jwks;
  }

  /** The kid of the key that signs `alg` (the token algorithm by default) now, if any. */
  activeKid(alg: SigningAlgorithm = this.#tokenAlg): string | undefined {
    return this.#snapshot ? this.#current().signing.get(alg)?.kid : undefined;
  }

  /** The algorithms that have an active key now. */
  signingAlgorithms(): SigningAlgorithm[] {
    return this.#snapshot
      ? SIGNING_ALGORITHMS.filter((alg) => this.#current().signing.has(alg))
      : [];
  }

  /** Signs a JWT with the active key of `options.alg` (default: the token algorithm), `kid` header. */
  async sign(payload: JWTPayload, options: SignOptions = {}): Promise<string> {
    const alg = options.alg ?? this.#tokenAlg;
    const signing = this.#current().signing.get(alg);
    if (!signing) throw new KeyError('no_active_key', `no ${alg} signing key is active`);
    return signCompactJws(
      { alg, kid: signing.kid, ...(options.typ ? { typ: options.typ } : {}) },
      payload,
      signing.key,
    );
  }

  /**
   * The claims of a token, NOT verified: the caller MUST prove the token's bytes another way
   * before it trusts any claim. For refresh tokens, whose SHA-256 the database keeps: a token
   * whose hash matches is byte for byte the one we signed, signature included, so a signature
   * check as well would tell nothing more (and cost 6-7 % of a refresh's CPU). What a key's state
   * decides is checked here: the header must name `typ`, a key that verifies now and that key's
   * algorithm, so a revoked, removed or pending key's tokens are refused as by `verify()`; `iss`
   * and `aud` must be the ones asked for (after a change of issuer, older tokens are refused as
   * before); of several audiences, `aud` must hold one. Time claims are the caller's. Throws for
   * anything else, malformed tokens included (jose's decoders).
   */
  decodeUnverified(
    token: string,
    options: {
      readonly typ: string;
      readonly issuer: string;
      readonly audience: string | readonly string[];
    },
  ): JWTPayload {
    const header = decodeProtectedHeader(token);
    if (
      header.typ !== options.typ ||
      typeof header.kid !== 'string' ||
      header.alg === undefined ||
      this.#current().algorithms.get(header.kid) !== header.alg
    ) {
      throw new KeyError('unknown_key', 'token was not issued under a current key with this typ');
    }
    const payload = decodeJwt(token);
    const accepted: readonly string[] =
      typeof options.audience === 'string' ? [options.audience] : options.audience;
    const audiences =
      typeof payload.aud === 'string'
        ? [payload.aud]
        : Array.isArray(payload.aud)
          ? payload.aud
          : [];
    if (payload.iss !== options.issuer || !audiences.some((aud) => accepted.includes(aud))) {
      throw new KeyError(
        'unknown_key',
        'token was issued by another issuer or for another audience',
      );
    }
    return payload;
  }

  /**
   * Verifies a JWT signed by one of our active or retired keys. Revoked and removed keys no
   * longer verify anything. Throws jose's errors for bad tokens.
   */
  async verify(token: string, options: VerifyOptions = {}): Promise<JWTVerifyResult> {
    const { verifying, algorithms } = this.#current();
    const now = this.#clock.now();
    // The checks asked for are part of the key: a token remembered as an access token for one
    // audience says nothing about another audience or another typ.
    const cacheKey = options.remember
      ? `${JSON.stringify([options.typ ?? null, options.issuer ?? null, options.audience ?? null])}${token}`
      : undefined;
    if (cacheKey !== undefined) {
      const remembered = this.#verified.get(cacheKey, verifying, now);
      if (remembered) return remembered;
    }
    let usedKey: KeyObject | undefined;
    let result: JWTVerifyResult;
    try {
      result = await jwtVerify(
        token,
        (header) => {
          const key = header.kid === undefined ? undefined : verifying.get(header.kid);
          if (!key) throw new KeyError('unknown_key', 'token was not signed by a current key');
          // A key signs with one algorithm only (RFC 8725 3.1): RS256 and PS256 keys are both RSA,
          // and jose alone would let either algorithm pass with either key.
          if (algorithms.get(header.kid!) !== header.alg)
            throw new KeyError('unknown_key', 'token names another algorithm than its key');
          usedKey = key;
          return key;
        },
        {
          algorithms: [...SIGNING_ALGORITHMS],
          currentDate: new Date(now),
          ...(options.typ ? { typ: options.typ } : {}),
          ...(options.issuer ? { issuer: options.issuer } : {}),
          ...(options.audience ? { audience: options.audience } : {}),
        },
      );
    } catch (error) {
      if (options.allowExpired && error instanceof errors.JWTExpired && error.claim === 'exp') {
        return {
          payload: error.payload,
          protectedHeader: decodeProtectedHeader(token) as JWTVerifyResult['protectedHeader'],
        };
      }
      throw error;
    }
    if (cacheKey !== undefined && usedKey) this.#verified.remember(cacheKey, result, usedKey);
    return result;
  }
}
