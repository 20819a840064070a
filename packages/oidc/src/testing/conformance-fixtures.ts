import { randomUUID } from 'node:crypto';
import type { RegisteredClient } from '../clients/registered-client.js';
import type { AuthorizationCodeRecord } from '../ports/authorization-code-store.js';
import type { DeviceAuthorizationRecord } from '../ports/device-authorization-store.js';
import type { NewRefreshToken } from '../ports/refresh-token-store.js';
import type { TokenFamilyRecord } from '../ports/token-family-store.js';
import type { UserAccount } from '../users/user-account.js';
import type { StoreSet } from './store-set.js';

/**
 * The suites' time: far from the wall clock (and a whole millisecond count, which both databases
 * keep exactly), so a store that read its own clock instead of `now` is caught.
 */
export const T0 = Date.UTC(2031, 4, 6, 7, 8, 9, 123);
export const MINUTE = 60_000;
export const DAY = 86_400_000;
/** An actor for audit events. */
export const ACTOR = 'conformance';

/** A name unique to one test, so suites can share a database. */
export const unique = (prefix: string) => `${prefix}-${randomUUID()}`;

export function newClient(overrides: Partial<RegisteredClient> = {}): RegisteredClient {
  return {
    clientId: unique('client'),
    clientName: 'Conformance client',
    secretHash: 'a'.repeat(64),
    tokenEndpointAuthMethod: 'client_secret_basic',
    redirectUris: ['https://rp.example/callback'],
    postLogoutRedirectUris: [],
    grantTypes: ['authorization_code', 'refresh_token'],
    responseTypes: ['code'],
    scopes: ['openid', 'profile', 'offline_access'],
    resources: [],
    firstParty: false,
    requirePkce: true,
    idTokenSignedResponseAlg: 'RS256',
    jwks: null,
    jwksUri: null,
    tokenEndpointAuthSigningAlg: null,
    requestObjectSigningAlg: null,
    requirePushedAuthorizationRequests: false,
    dpopBoundAccessTokens: false,
    securityProfile: null,
    backchannelLogoutUri: null,
    backchannelLogoutSessionRequired: false,
    frontchannelLogoutUri: null,
    frontchannelLogoutSessionRequired: false,
    defaultAcrValues: [],
    requireMfa: false,
    userinfoSignedResponseAlg: null,
    ...overrides,
  };
}

export async function seedClient(
  stores: StoreSet,
  overrides: Partial<RegisteredClient> = {},
): Promise<RegisteredClient> {
  return stores.clients.create(newClient(overrides), ACTOR, T0);
}

export async function seedUser(
  stores: StoreSet,
  email = `${unique('user')}@example.com`,
): Promise<UserAccount> {
  return stores.users.create(
    { id: unique('sub'), email, passwordHash: '$argon2id$fake', claims: { name: 'Ada' } },
    ACTOR,
    T0,
  );
}

export function codeRecord(
  client: RegisteredClient,
  user: UserAccount,
  overrides: Partial<AuthorizationCodeRecord> = {},
): AuthorizationCodeRecord {
  return {
    codeHash: unique('code'),
    clientId: client.clientId,
    userId: user.id,
    sessionId: null,
    redirectUri: client.redirectUris[0]!,
    scopes: ['openid', 'offline_access'],
    nonce: 'n-0S6_WzA2Mj',
    codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGjSstw-cM',
    claims: { userinfo: { email: { essential: true } } },
    resources: ['https://api.example'],
    authTime: T0 - MINUTE,
    dpopJkt: null,
    amr: ['pwd'],
    acr: null,
    expiresAt: T0 + MINUTE,
    consumedAt: null,
    familyId: null,
    ...overrides,
  };
}

export function familyRecord(
  client: RegisteredClient,
  user: UserAccount,
  overrides: Partial<TokenFamilyRecord> = {},
): TokenFamilyRecord {
  return {
    id: unique('family'),
    clientId: client.clientId,
    userId: user.id,
    sessionId: null,
    scopes: ['openid', 'offline_access'],
    claims: null,
    authTime: T0 - MINUTE,
    amr: ['pwd'],
    acr: null,
    offlineAccess: true,
    createdAt: T0,
    expiresAt: T0 + 30 * DAY,
    revokedAt: null,
    ...overrides,
  };
}

export function refreshToken(
  familyId: string,
  overrides: Partial<NewRefreshToken> = {},
): NewRefreshToken {
  return {
    id: unique('rt'),
    familyId,
    tokenHash: unique('hash'),
    expiresAt: T0 + DAY,
    ...overrides,
  };
}

/**
 * A family born of a redeemed code with its first refresh token, at T0, for `parties` or a new
 * client and user.
 */
export async function seedFamily(
  stores: StoreSet,
  overrides: Partial<TokenFamilyRecord> = {},
  parties: { client?: RegisteredClient; user?: UserAccount } = {},
) {
  const client = parties.client ?? (await seedClient(stores));
  const user = parties.user ?? (await seedUser(stores));
  const code = codeRecord(client, user, { sessionId: overrides.sessionId ?? null });
  await stores.codes.save(code, T0);
  const family = familyRecord(client, user, overrides);
  const token = refreshToken(family.id);
  if (!(await stores.codes.redeem(code.codeHash, T0, family, token)))
    throw new Error('seedFamily: redeem failed');
  return { client, user, code, family, token };
}

/** A pending device authorization of `client`, with unique code hashes. */
export function deviceRecord(
  client: RegisteredClient,
  overrides: Partial<DeviceAuthorizationRecord> = {},
): DeviceAuthorizationRecord {
  return {
    deviceCodeHash: unique('device'),
    userCodeHash: unique('user-code'),
    clientId: client.clientId,
    scopes: ['openid', 'offline_access'],
    resources: ['https://api.example'],
    expiresAt: T0 + 10 * MINUTE,
    interval: 5,
    lastPolledAt: null,
    status: 'pending',
    approval: null,
    familyId: null,
    ...overrides,
  };
}
