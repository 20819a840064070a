import type {
  AuditRecord,
  ClaimsRequest,
  ClientAuthMethod,
  ClientJwks,
  ClientSigningAlg,
  GrantType,
  JwsSigningAlgorithm,
  NewRefreshToken,
  RegisteredClient,
  SecurityProfile,
  StandardClaims,
  TokenFamilyRecord,
  UserAccount,
} from '@idp/oidc';
import { randomUUID } from 'node:crypto';
import { Prisma, type Client, type TokenFamily, type User } from '../generated/sqlite/client.js';

/*
 * Rows and the ports' records. Rows keep lists and claim sets as JSON text and a scope as words
 * (SQLite has no arrays). `$queryRaw` types a table's columns as the models do (DateTime as Date,
 * Boolean as boolean; on SQLite from the declared column types), so raw rows and model rows go
 * through the same mappers. A raw statement aliases every column `<table alias>_<column>` (both
 * tables of a join have an `id`) and `aliased` takes one table's columns back out. Statements name
 * their columns rather than select `*`, so a migration adding a column while the server runs (a
 * rolling upgrade) changes nothing a mapper sees.
 */

/** A raw row, its columns prefixed per table (`f_id`, `u_id`, ...). */
export type RawRow = Record<string, unknown>;

/** One table's columns of a raw row, unprefixed; null when a LEFT JOIN found none (no `id`). */
export function aliased<Row>(row: RawRow, alias: string): Row | null {
  const prefix = `${alias}_`;
  if (row[`${prefix}id`] === null || row[`${prefix}id`] === undefined) return null;
  const columns: RawRow = {};
  for (const key of Object.keys(row))
    if (key.startsWith(prefix)) columns[key.slice(prefix.length)] = row[key];
  return columns as Row;
}

/** `alias."column" AS "alias_column", ...` for a statement that names its table `alias`. */
export function columns(alias: string, names: readonly string[]): Prisma.Sql {
  return Prisma.raw(names.map((name) => `${alias}."${name}" AS "${alias}_${name}"`).join(', '));
}

/** A scope (space-separated words) as a list. */
export const words = (text: string | null | undefined): string[] =>
  text?.split(' ').filter(Boolean) ?? [];

/**
 * Whether a lookup key can match a stored row at all. PostgreSQL's text cannot hold a NUL and
 * refuses a parameter that has one (an error where the caller expects a miss), so a key with a NUL,
 * which anyone can send as a client_id, a username or a token's claim, is not found, without a
 * query, on both databases alike.
 */
export const canMatchStoredText = (key: string): boolean => !key.includes('\u0000');

const USER_FIELDS = ['id', 'email', 'passwordHash', 'disabled', 'claims', 'createdAt'] as const;
/** The User columns a UserAccount is made of, of a statement that names the table `u`. */
export const USER_COLUMNS = columns('u', USER_FIELDS);
export type UserAccountColumns = Pick<User, (typeof USER_FIELDS)[number]>;

export function toUserAccount(row: UserAccountColumns): UserAccount {
  const { id, email, passwordHash, disabled } = row;
  const claims = JSON.parse(row.claims) as StandardClaims;
  return { id, email, passwordHash, disabled, claims, createdAt: row.createdAt.getTime() };
}

export function toRegisteredClient(row: Client): RegisteredClient {
  return {
    clientId: row.id,
    clientName: row.name,
    secretHash: row.secretHash,
    tokenEndpointAuthMethod: row.tokenEndpointAuthMethod as ClientAuthMethod,
    redirectUris: JSON.parse(row.redirectUris) as string[],
    postLogoutRedirectUris: JSON.parse(row.postLogoutRedirectUris) as string[],
    grantTypes: JSON.parse(row.grantTypes) as GrantType[],
    responseTypes: JSON.parse(row.responseTypes) as string[],
    scopes: words(row.scope),
    resources: JSON.parse(row.audiences) as string[],
    firstParty: row.firstParty,
    requirePkce: row.requirePkce,
    idTokenSignedResponseAlg: row.idTokenSignedResponseAlg as JwsSigningAlgorithm,
    jwks: row.jwks === null ? null : (JSON.parse(row.jwks) as ClientJwks),
    jwksUri: row.jwksUri,
    tokenEndpointAuthSigningAlg: row.tokenEndpointAuthSigningAlg as ClientSigningAlg | null,
    requestObjectSigningAlg: row.requestObjectSigningAlg as ClientSigningAlg | null,
    requirePushedAuthorizationRequests: row.requirePushedAuthorizationRequests,
    dpopBoundAccessTokens: row.dpopBoundAccessTokens,
    securityProfile: row.securityProfile as SecurityProfile | null,
    ...(row.metadataDocumentFetchedAt === null ? {} : { metadataDocument: true as const }),
    backchannelLogoutUri: row.backchannelLogoutUri,
    backchannelLogoutSessionRequired: row.backchannelLogoutSessionRequired,
    frontchannelLogoutUri: row.frontchannelLogoutUri,
    frontchannelLogoutSessionRequired: row.frontchannelLogoutSessionRequired,
    defaultAcrValues: JSON.parse(row.defaultAcrValues) as string[],
    requireMfa: row.requireMfa,
  };
}

/** Column values of a client, for create and update alike. */
export function clientColumns(client: RegisteredClient) {
  return {
    name: client.clientName,
    secretHash: client.secretHash,
    tokenEndpointAuthMethod: client.tokenEndpointAuthMethod,
    redirectUris: JSON.stringify(client.redirectUris),
    postLogoutRedirectUris: JSON.stringify(client.postLogoutRedirectUris),
    grantTypes: JSON.stringify(client.grantTypes),
    responseTypes: JSON.stringify(client.responseTypes),
    scope: client.scopes.join(' '),
    audiences: JSON.stringify(client.resources),
    firstParty: client.firstParty,
    requirePkce: client.requirePkce,
    idTokenSignedResponseAlg: client.idTokenSignedResponseAlg,
    jwks: client.jwks ? JSON.stringify(client.jwks) : null,
    jwksUri: client.jwksUri ?? null,
    tokenEndpointAuthSigningAlg: client.tokenEndpointAuthSigningAlg ?? null,
    requestObjectSigningAlg: client.requestObjectSigningAlg ?? null,
    requirePushedAuthorizationRequests: client.requirePushedAuthorizationRequests,
    dpopBoundAccessTokens: client.dpopBoundAccessTokens,
    securityProfile: client.securityProfile ?? null,
    backchannelLogoutUri: client.backchannelLogoutUri ?? null,
    backchannelLogoutSessionRequired: client.backchannelLogoutSessionRequired ?? false,
    frontchannelLogoutUri: client.frontchannelLogoutUri ?? null,
    frontchannelLogoutSessionRequired: client.frontchannelLogoutSessionRequired ?? false,
    defaultAcrValues: JSON.stringify(client.defaultAcrValues ?? []),
    requireMfa: client.requireMfa ?? false,
  };
}

const FAMILY_FIELDS = [
  ...['id', 'clientId', 'userId', 'sessionId', 'scope', 'claims', 'authTime', 'amr', 'acr'],
  ...['offlineAccess', 'resources', 'createdAt', 'expiresAt', 'revokedAt'],
] as const;
/** The TokenFamily columns a TokenFamilyRecord is made of, of a statement naming the table `f`. */
export const FAMILY_COLUMNS = columns('f', FAMILY_FIELDS);

export function toFamilyRecord(row: Omit<TokenFamily, 'revokedReason'>): TokenFamilyRecord {
  const { id, clientId, userId, sessionId, acr, offlineAccess } = row;
  return {
    id,
    clientId,
    userId,
    sessionId,
    scopes: words(row.scope),
    claims: row.claims === null ? null : (JSON.parse(row.claims) as ClaimsRequest),
    authTime: row.authTime.getTime(),
    amr: JSON.parse(row.amr) as string[],
    acr,
    offlineAccess,
    createdAt: row.createdAt.getTime(),
    expiresAt: row.expiresAt.getTime(),
    revokedAt: row.revokedAt?.getTime() ?? null,
    ...(row.resources === '[]' ? {} : { resources: JSON.parse(row.resources) as string[] }),
  };
}

/** A new family as an `INSERT … SELECT <values>` (no FROM or WHERE), for claimThenInsert. */
function insertFamily(f: TokenFamilyRecord): Prisma.Sql {
  const date = (ms: number | null) => (ms === null ? null : new Date(ms));
  return Prisma.sql`
    INSERT INTO "TokenFamily" ("id", "clientId", "userId", "sessionId", "scope", "claims", "authTime", "amr", "acr", "offlineAccess", "resources", "createdAt", "expiresAt", "revokedAt")
    SELECT ${f.id}, ${f.clientId}, ${f.userId}, ${f.sessionId}, ${f.scopes.join(' ')}, ${f.claims === null ? null : JSON.stringify(f.claims)},
      ${date(f.authTime)}, ${JSON.stringify(f.amr)}, ${f.acr}, ${f.offlineAccess}, ${JSON.stringify(f.resources ?? [])}, ${date(f.createdAt)}, ${date(f.expiresAt)}, ${date(f.revokedAt)}`;
}

/** A refresh token as an `INSERT … SELECT <values>`, created at `at`. */
export function insertRefreshToken(token: NewRefreshToken, at: number): Prisma.Sql {
  return Prisma.sql`
    INSERT INTO "RefreshToken" ("id", "familyId", "tokenHash", "createdAt", "expiresAt")
    SELECT ${token.id}, ${token.familyId}, ${token.tokenHash}, ${new Date(at)}, ${new Date(token.expiresAt)}`;
}

/** The inserts that start a family (a code's or a device's redemption) at `at`. */
export function startFamily(
  family: TokenFamilyRecord,
  refreshToken: NewRefreshToken | null,
  at: number,
): [Prisma.Sql, ...Prisma.Sql[]] {
  const first = insertFamily(family);
  return refreshToken ? [first, insertRefreshToken(refreshToken, at)] : [first];
}

/** Row values for an audit record made at `at` (ms). */
export function auditRow(record: AuditRecord, at: number) {
  const { type, actor = null, userId = null, clientId = null, ip = null } = record;
  const data = JSON.stringify(record.data ?? {});
  return { id: randomUUID(), type, at: new Date(at), actor, userId, clientId, ip, data };
}

/** An audit row as an `INSERT … SELECT <values>`, to record a write in its own transaction. */
export function insertAudit(record: AuditRecord, at: number): Prisma.Sql {
  const r = auditRow(record, at);
  return Prisma.sql`
    INSERT INTO "AuditEvent" ("id", "type", "at", "actor", "userId", "clientId", "ip", "data")
    SELECT ${r.id}, ${r.type}, ${r.at}, ${r.actor}, ${r.userId}, ${r.clientId}, ${r.ip}, ${r.data}`;
}
