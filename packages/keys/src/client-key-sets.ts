import {
  ClientJwtRejected,
  type ClientJwks,
  type ClientJwtVerifier,
  type ClientSignedJwt,
  type RegisteredClient,
} from '@idp/oidc';
import {
  createLocalJWKSet,
  decodeJwt,
  errors,
  jwtVerify,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
} from 'jose';

export interface ClientKeySetsOptions {
  /**
   * Fetches a client's `jwks_uri` and returns the parsed JSON. The caller supplies it so that
   * every fetch goes through the server's outbound-request guard (https, no private addresses,
   * size and time limits): jose's createRemoteJWKSet would use its own fetch, outside that guard.
   */
  fetchJwks(uri: string): Promise<unknown>;
  now(): number;
  /** How long a fetched document is used before it is fetched again. */
  readonly ttlMs?: number;
  /** Shortest time between two fetches of one URI caused by an unknown `kid`. */
  readonly refetchIntervalMs?: number;
  /** Documents kept at most; the oldest goes first. */
  readonly maxEntries?: number;
}

interface RemoteEntry {
  readonly keys: Promise<JWTVerifyGetKey>;
  readonly fetchedAt: number;
}

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/** Public asymmetric keys only: a published set that leaks private members is not trusted for them. */
function publicKeys(document: unknown): JSONWebKeySet {
  const keys = (document as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys))
    throw new ClientJwtRejected('the jwks_uri document has no "keys" array');
  return {
    keys: keys.filter(
      (key): key is JSONWebKeySet['keys'][number] =>
        typeof key === 'object' && key !== null && !PRIVATE_MEMBERS.some((member) => member in key),
    ),
  };
}

/**
 * The keys clients sign their assertions and request objects with (the core's
 * `ClientJwtVerifier`): registered `jwks` by value, or a `jwks_uri` document cached for `ttlMs`
 * and fetched again early, at most once per `refetchIntervalMs`, when a token names a `kid` the
 * cached document lacks (the client rotated its keys).
 */
export class ClientKeySets implements ClientJwtVerifier {
  readonly #options: Required<ClientKeySetsOptions>;
  readonly #byValue = new WeakMap<ClientJwks, JWTVerifyGetKey>();
  readonly #remote = new Map<string, RemoteEntry>();

  constructor(options: ClientKeySetsOptions) {
    this.#options = { ttlMs: 5 * 60_000, refetchIntervalMs: 30_000, maxEntries: 1000, ...options };
  }

  peek(jwt: string): Readonly<Record<string, unknown>> | undefined {
    try {
      return decodeJwt(jwt);
    } catch {
      return undefined;
    }
  }

  async verify(
    jwt: string,
    client: RegisteredClient,
    algorithms: readonly string[],
  ): Promise<ClientSignedJwt> {
    if (client.jwks) return this.#verifyWith(jwt, this.#localKeys(client.jwks), algorithms);
    const uri = client.jwksUri;
    if (!uri)
      throw new ClientJwtRejected(
        `client ${client.clientId} has no registered keys (jwks or jwks_uri)`,
      );
    const entry = this.#entry(uri, false);
    try {
      return await this.#verifyWith(jwt, await entry.keys, algorithms);
    } catch (error) {
      const unknownKid =
        error instanceof ClientJwtRejected && error.cause instanceof errors.JWKSNoMatchingKey;
      if (!unknownKid || this.#options.now() - entry.fetchedAt < this.#options.refetchIntervalMs)
        throw error;
      return this.#verifyWith(jwt, await this.#entry(uri, true).keys, algorithms);
    }
  }

  #localKeys(jwks: ClientJwks): JWTVerifyGetKey {
    let keys = this.#byValue.get(jwks);
    if (!keys) {
      keys = createLocalJWKSet(publicKeys(jwks));
      this.#byValue.set(jwks, keys);
    }
    return keys;
  }

  /** The cached document of `uri`, fetched when absent, stale or `refresh` is asked. */
  #entry(uri: string, refresh: boolean): RemoteEntry {
    const now = this.#options.now();
    const cached = this.#remote.get(uri);
    if (cached && !refresh && now - cached.fetchedAt < this.#options.ttlMs) return cached;
    if (cached && refresh && now - cached.fetchedAt < this.#options.refetchIntervalMs)
      return cached;
    const keys = this.#options.fetchJwks(uri).then(
      (document) => createLocalJWKSet(publicKeys(document)),
      (error: unknown) => {
        throw new ClientJwtRejected(
          `could not fetch jwks_uri ${uri}: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error },
        );
      },
    );
    const entry: RemoteEntry = { keys, fetchedAt: now };
    // A failed fetch is not kept: the next request tries again.
    keys.catch(() => {
      if (this.#remote.get(uri) === entry) this.#remote.delete(uri);
    });
    this.#remote.delete(uri);
    if (this.#remote.size >= this.#options.maxEntries)
      this.#remote.delete(this.#remote.keys().next().value!);
    this.#remote.set(uri, entry);
    return entry;
  }

  async #verifyWith(
    jwt: string,
    keys: JWTVerifyGetKey,
    algorithms: readonly string[],
  ): Promise<ClientSignedJwt> {
    try {
      // The core judges exp, iat, nbf, aud and iss itself; jose's own time checks get a wide
      // tolerance so that they never refuse what the core's rules accept.
      const { payload, protectedHeader } = await jwtVerify(jwt, keys, {
        algorithms: [...algorithms],
        currentDate: new Date(this.#options.now()),
        clockTolerance: 60,
      });
      return {
        payload,
        header: { alg: protectedHeader.alg!, kid: protectedHeader.kid, typ: protectedHeader.typ },
      };
    } catch (error) {
      if (error instanceof ClientJwtRejected) throw error;
      if (error instanceof errors.JOSEError || error instanceof TypeError) {
        throw new ClientJwtRejected(
          `${error instanceof errors.JOSEError ? error.code : 'ERR_JWT_INVALID'}: ${error.message}`,
          { cause: error },
        );
      }
      throw error;
    }
  }
}
