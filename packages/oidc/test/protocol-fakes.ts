import { ClientJwtRejected } from '../src/index.js';
import { MemorySingleUseStore, MemoryTables } from '../src/testing/index.js';
import type {
  ClientAuthenticationDeps,
  ClientJwtVerifier,
  AuthorizationCodeRecord,
  AuthorizationCodeStore,
  NewRefreshToken,
  RefreshTokenRecord,
  RefreshTokenStore,
  RegisteredClient,
  RotationResult,
  TokenContext,
  TokenFamilyRecord,
  TokenVerifier,
  UserAccount,
} from '../src/index.js';
import { createMemoryStores } from '../src/testing/index.js';
import { NOW } from './token-family-fixture.js';

// Small in-test stand-ins for the ports the grants use: a signer whose "signature" is the claims
// themselves (deterministic, as RS256 is, so a re-signed refresh token has the same bytes), a
// verifier that reads them back, and code and refresh token stores in maps. Enough to run each
// grant without a server, a database or keys.

export const ISSUER = 'https://idp.example';

/** A client registered for every grant, public unless told otherwise. */
export function client(overrides: Partial<RegisteredClient> = {}): RegisteredClient {
  return {
    clientId: 'app',
    clientName: 'App',
    secretHash: null,
    tokenEndpointAuthMethod: 'none',
    redirectUris: ['https://app.example/cb'],
    postLogoutRedirectUris: ['https://app.example/bye'],
    grantTypes: ['authorization_code', 'refresh_token'],
    responseTypes: ['code'],
    scopes: ['openid', 'profile', 'email', 'offline_access'],
    resources: [],
    firstParty: false,
    requirePkce: true,
    idTokenSignedResponseAlg: 'RS256',
    requirePushedAuthorizationRequests: false,
    dpopBoundAccessTokens: false,
    ...overrides,
  };
}

export function user(overrides: Partial<UserAccount> = {}): UserAccount {
  return {
    id: 'user-1',
    email: 'ada@example.com',
    passwordHash: 'x',
    disabled: false,
    claims: { name: 'Ada' },
    createdAt: NOW - 86_400_000,
    ...overrides,
  };
}

/** A fake JWT: `<typ>.<claims as base64url JSON>`. */
export function fakeToken(payload: Record<string, unknown>, typ = 'JWT'): string {
  return `${typ}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
}

export function claimsOf(token: string | undefined): Record<string, unknown> {
  if (token === undefined) throw new Error('no token');
  const [, body] = token.split('.');
  return JSON.parse(Buffer.from(body ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}

export const fakeSigner = {
  sign: async (payload: Record<string, unknown>, options?: { typ?: string }) =>
    fakeToken(payload, options?.typ),
  signingAlgorithms: () => ['RS256', 'PS256', 'ES256', 'EdDSA'] as const,
};

/** Reads fake tokens back, checking what the real verifier checks of typ, iss, aud and exp. */
export function fakeVerifier(now: () => number): TokenVerifier {
  const decode = (
    token: string,
    typ: string,
    issuer: string,
    audiences: readonly string[] | undefined,
  ) => {
    const [tokenTyp] = token.split('.');
    if (tokenTyp !== typ) throw new Error('wrong typ');
    const payload = claimsOf(token);
    if (payload.iss !== issuer) throw new Error('wrong issuer');
    const aud = ([] as unknown[]).concat(payload.aud);
    if (audiences && !aud.some((a) => audiences.includes(a as string)))
      throw new Error('wrong audience');
    return payload;
  };
  return {
    verify: async (token, options) => {
      const payload = decode(
        token,
        options.typ,
        options.issuer,
        options.audience === undefined ? undefined : [options.audience],
      );
      if (Number(payload.exp) * 1000 <= now()) throw new Error('expired');
      return { payload };
    },
    decodeUnverified: (token, options) =>
      decode(token, options.typ, options.issuer, ([] as string[]).concat(options.audience)),
  };
}

/** Authorization codes and the families their exchanges start, in maps. */
export function memoryCodes(users: ReadonlyMap<string, UserAccount>) {
  const codes = new Map<string, AuthorizationCodeRecord>();
  const families = new Map<string, TokenFamilyRecord>();
  const refreshTokens: NewRefreshToken[] = [];
  const store: AuthorizationCodeStore = {
    save: async (record) => void codes.set(record.codeHash, record),
    find: async (hash) => {
      const record = codes.get(hash);
      return record ? { ...record, user: users.get(record.userId) ?? null } : null;
    },
    redeem: async (hash, now, family, refreshToken) => {
      const record = codes.get(hash);
      if (!record || record.consumedAt !== null) return false;
      codes.set(hash, { ...record, consumedAt: now, familyId: family.id });
      families.set(family.id, family);
      if (refreshToken) refreshTokens.push(refreshToken);
      return true;
    },
    revokeIssuedFrom: async (hash, now) => {
      const familyId = codes.get(hash)?.familyId;
      const family = familyId ? families.get(familyId) : undefined;
      if (family && family.revokedAt === null)
        families.set(family.id, { ...family, revokedAt: now });
    },
  };
  return { store, codes, families, refreshTokens };
}

interface RefreshRow extends NewRefreshToken {
  readonly createdAt: number;
  usedAt: number | null;
  successorId: string | null;
}

/** Refresh tokens of one user's families, in maps, with the rotation contract of the port. */
export function memoryRefreshTokens(
  owner: UserAccount,
  options: { consentedScopes?: readonly string[]; session?: RefreshTokenRecord['session'] } = {},
) {
  const rows = new Map<string, RefreshRow>();
  const families = new Map<string, TokenFamilyRecord>();
  const reuses: string[] = [];
  const add = (family: TokenFamilyRecord, token: NewRefreshToken, createdAt: number) => {
    families.set(family.id, family);
    rows.set(token.id, { ...token, createdAt, usedAt: null, successorId: null });
  };
  const store: RefreshTokenStore = {
    find: async (id) => {
      const row = rows.get(id);
      const family = row ? families.get(row.familyId) : undefined;
      if (!row || !family) return null;
      return {
        id: row.id,
        tokenHash: row.tokenHash,
        expiresAt: row.expiresAt,
        usedAt: row.usedAt,
        family,
        user: owner,
        consentedScopes: options.consentedScopes ?? family.scopes,
        session: options.session === undefined ? null : options.session,
      };
    },
    rotate: async (current, next, now): Promise<RotationResult> => {
      const row = rows.get(current.id);
      const family = row ? families.get(row.familyId) : undefined;
      if (!row || !family || family.revokedAt !== null || row.tokenHash !== current.tokenHash)
        return { outcome: 'invalid' };
      if (row.usedAt !== null) {
        const successor = row.successorId ? rows.get(row.successorId) : undefined;
        return {
          outcome: 'used',
          usedAt: row.usedAt,
          successor: successor ? { ...successor } : null,
        };
      }
      row.usedAt = now;
      row.successorId = next.id;
      rows.set(next.id, { ...next, createdAt: now, usedAt: null, successorId: null });
      return { outcome: 'rotated' };
    },
    revokeForReuse: async (reuse, now) => {
      const family = families.get(reuse.familyId);
      if (!family || family.revokedAt !== null) return false;
      families.set(family.id, { ...family, revokedAt: now });
      reuses.push(reuse.tokenId);
      return true;
    },
  };
  return { store, rows, families, reuses, add };
}

/** A token context over the fakes, with a clock the test moves and the events it emitted. */
export function tokenContext(parts: Partial<TokenContext> & { time?: { now: number } } = {}) {
  const time = parts.time ?? { now: NOW };
  const events: { event: string; data: Record<string, unknown> }[] = [];
  const stores = createMemoryStores();
  const ctx: TokenContext = {
    issuer: ISSUER,
    clock: { now: () => time.now },
    signer: fakeSigner,
    verifier: fakeVerifier(() => time.now),
    codes: parts.codes ?? memoryCodes(new Map()).store,
    refreshTokens: parts.refreshTokens ?? memoryRefreshTokens(user()).store,
    deviceAuthorizations: parts.deviceAuthorizations ?? stores.deviceAuthorizations,
    families: parts.families ?? stores.families,
    audit: parts.audit ?? stores.audit,
    lifetimes: {
      accessToken: 600,
      idToken: 600,
      refreshTokenIdle: 3600,
      refreshTokenAbsolute: 86_400,
      refreshTokenReuseGrace: 0,
      ...parts.lifetimes,
    },
    emit: (event, data) => void events.push({ event, data }),
    dpop: parts.dpop ?? { replay: { consume: async () => true } },
  };
  return { ctx, time, events };
}

/**
 * Client-signed JWTs for tests of the core's rules: `<alg>.<kid>.<claims as base64url JSON>`,
 * "verified" when `alg` is allowed and the client registered a key with that `kid`. The real
 * signature checks are the keys package's (tested there with jose).
 */
export function fakeClientJwt(
  payload: Record<string, unknown>,
  header: { alg?: string; kid?: string } = {},
): string {
  return `${header.alg ?? 'ES256'}.${header.kid ?? 'k1'}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
}

export const fakeClientJwts: ClientJwtVerifier = {
  peek(jwt) {
    try {
      return JSON.parse(
        Buffer.from(jwt.split('.')[2] ?? '', 'base64url').toString('utf8'),
      ) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  },
  async verify(jwt, registered, algorithms) {
    const [alg = '', kid = ''] = jwt.split('.');
    if (!algorithms.includes(alg)) throw new ClientJwtRejected(`alg ${alg} not allowed`);
    if (!registered.jwks?.keys.some((key) => key.kid === kid))
      throw new ClientJwtRejected(`no key ${kid}`);
    const payload = this.peek(jwt);
    if (!payload) throw new ClientJwtRejected('not a JWT');
    return { payload, header: { alg, kid } };
  },
};

/** Client authentication dependencies around `find`, with a fresh replay store. */
export function authDeps(
  find: (id: string) => Promise<RegisteredClient | null>,
  now = NOW,
): ClientAuthenticationDeps {
  return {
    findClient: find,
    issuer: ISSUER,
    now,
    clientJwts: fakeClientJwts,
    singleUse: new MemorySingleUseStore(new MemoryTables()),
  };
}
