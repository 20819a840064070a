import { ClientJwtRejected } from '../src/index.js';
import {
  MemoryAuthorizationCodeStore,
  MemoryRefreshTokenStore,
  MemorySingleUseStore,
  MemoryTables,
} from '../src/testing/index.js';
import type {
  ClientAuthenticationDeps,
  ClientJwtVerifier,
  NewRefreshToken,
  RefreshTokenRecord,
  RegisteredClient,
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
    admin: false,
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

/**
 * The memory code store (the `testing` export's) on tables of its own holding `users`, with the
 * tables a test looks into: the codes, the families their exchanges started, the refresh tokens.
 */
export function memoryCodes(users: ReadonlyMap<string, UserAccount>) {
  const tables = new MemoryTables();
  for (const owner of users.values()) tables.users.set(owner.id, owner);
  return {
    store: new MemoryAuthorizationCodeStore(tables),
    codes: tables.codes,
    families: tables.families,
    get refreshTokens() {
      return [...tables.refreshTokens.values()];
    },
  };
}

/**
 * The memory refresh-token store (the `testing` export's) for one user's families, with their
 * consent (`consentedScopes`, else the family's scopes) and browser session as given; `reuses`
 * lists the tokens whose replay revoked a family.
 */
export function memoryRefreshTokens(
  owner: UserAccount,
  options: { consentedScopes?: readonly string[]; session?: RefreshTokenRecord['session'] } = {},
) {
  const tables = new MemoryTables();
  tables.users.set(owner.id, owner);
  const add = (family: TokenFamilyRecord, token: NewRefreshToken, createdAt: number) => {
    const { session } = options;
    const sessionId = session ? (family.sessionId ?? 'session-1') : family.sessionId;
    tables.families.set(family.id, { ...family, sessionId });
    const scopes = [...(options.consentedScopes ?? family.scopes)];
    tables.consents.set(`${family.userId} ${family.clientId}`, { scopes, claims: [] });
    if (session && sessionId) {
      const { authTime, amr, acr } = family;
      tables.sessions.set(sessionId, {
        id: sessionId,
        userId: owner.id,
        authTime,
        amr: [...amr],
        acr,
        ...session,
      });
    }
    tables.refreshTokens.set(token.id, { ...token, createdAt, usedAt: null, replacedBy: null });
  };
  return {
    store: new MemoryRefreshTokenStore(tables),
    rows: tables.refreshTokens,
    families: tables.families,
    get reuses() {
      return tables.audit
        .filter((event) => event.type === 'refresh_token.reused')
        .map((event) => String(event.data.reusedTokenId));
    },
    add,
  };
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
