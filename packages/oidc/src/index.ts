/**
 * @module @idp/oidc
 * The protocol core: OAuth 2.0 / OpenID Connect decisions, free of HTTP framework, database
 * and environment. It declares the ports it needs; other packages implement them.
 */
export { OAuthError, toOAuthError, type OAuthErrorCode } from './errors/oauth-error.js';
export {
  buildDiscoveryDocument,
  type ProviderEndpoints,
  type ProviderCapabilities,
} from './discovery/discovery-document.js';
export type { Clock } from './ports.js';
export type { RegisteredClient, ClientAuthMethod, GrantType } from './clients/registered-client.js';
export { redirectUriProblem } from './clients/redirect-uri.js';
export {
  clientMetadataSchema,
  knownClientMetadata,
  MIN_CLIENT_SECRET_LENGTH,
  type ClientMetadata,
} from './clients/client-metadata.js';
export { generateClientSecret, hashClientSecret, clientSecretMatches } from './clients/client-secret.js';
export type { UserAccount, StandardClaims } from './users/user-account.js';
export { standardClaimsSchema } from './users/standard-claims-schema.js';
