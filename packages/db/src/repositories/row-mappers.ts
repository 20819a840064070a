import type {
  ClientAuthMethod,
  ClientJwks,
  ClientSigningAlg,
  GrantType,
  JwsSigningAlgorithm,
  RegisteredClient,
  StandardClaims,
  UserAccount,
} from '@idp/oidc';
import type { Client, User } from '../generated/sqlite/client.js';

/** The User columns a UserAccount is made of (what raw-rows.ts's USER_COLUMNS selects). */
export type UserAccountColumns = Pick<
  User,
  'id' | 'email' | 'passwordHash' | 'disabled' | 'claims' | 'createdAt'
>;

/** Rows keep lists and claim sets as JSON text (SQLite has no arrays); these turn them back. */
export function toUserAccount(row: UserAccountColumns): UserAccount {
  return {
    id: row.id,
    email: row.email,
    passwordHash: row.passwordHash,
    disabled: row.disabled,
    claims: JSON.parse(row.claims) as StandardClaims,
    createdAt: row.createdAt.getTime(),
  };
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
    scopes: row.scope.split(' ').filter(Boolean),
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
    backchannelLogoutUri: row.backchannelLogoutUri,
    backchannelLogoutSessionRequired: row.backchannelLogoutSessionRequired,
    frontchannelLogoutUri: row.frontchannelLogoutUri,
    frontchannelLogoutSessionRequired: row.frontchannelLogoutSessionRequired,
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
    backchannelLogoutUri: client.backchannelLogoutUri ?? null,
    backchannelLogoutSessionRequired: client.backchannelLogoutSessionRequired ?? false,
    frontchannelLogoutUri: client.frontchannelLogoutUri ?? null,
    frontchannelLogoutSessionRequired: client.frontchannelLogoutSessionRequired ?? false,
  };
}
