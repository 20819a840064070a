/**
 * @module @idp/oidc
 * The protocol core: OAuth 2.0 / OpenID Connect decisions, free of HTTP framework, database
 * and environment. It declares the ports it needs; other packages implement them.
 */
export {
  OAuthError,
  toOAuthError,
  type OAuthErrorCode,
  type ProfileRefusal,
} from './errors/oauth-error.js';
export {
  buildDiscoveryDocument,
  type ProviderEndpoints,
  type ProviderCapabilities,
} from './discovery/discovery-document.js';
export {
  StoreError,
  type Clock,
  type TokenSigner,
  type ClientStore,
  type UserStore,
  type NewUser,
  type BrowserSessionStore,
  type BrowserSessionRecord,
  type EndedSession,
  type ListedSession,
  type ActiveSession,
  type ActiveSessionQuery,
  type UserChange,
  type ConsentStore,
  type ConsentRecord,
  matchesSearch,
  type PageQuery,
  type SingleUseStore,
  ClientJwtRejected,
  type ClientJwtVerifier,
  type ClientSignedJwt,
  type PushedRequestStore,
  type PushedRequestRecord,
  type FoundPushedRequest,
  type AuditLog,
  type AuditRecord,
  type AuditEventView,
  type AuditQuery,
  type AuthorizationCodeRecord,
  type AuthorizationCodeStore,
  type FoundAuthorizationCode,
  type AccessTokenState,
  type TokenFamilyRecord,
  type TokenFamilyStore,
  type NewRefreshToken,
  type RefreshTokenRecord,
  type RefreshTokenStore,
  type RotationResult,
  type StoredSuccessor,
  type GarbageCollector,
  type DeviceAuthorizationStore,
  type DeviceAuthorizationRecord,
  type DeviceAuthorizationStatus,
  type DeviceApproval,
  type FoundDeviceAuthorization,
  type CollectionResult,
  type EmailTokenStore,
  type EmailTokenRecord,
  type EmailTokenPurpose,
  type EmailTokenUse,
  type LiveEmailToken,
  type OneTimeCodeStore,
  type OneTimeCodeFactor,
  type FactorChange,
  type FailurePolicy,
  type ClientRegistrationStore,
  type ClientRegistrationRecord,
  type InitialAccessTokenRecord,
  type RegistrationActor,
  type PasskeyStore,
  type PasskeyRecord,
  type NewPasskey,
  type PasskeyUse,
  type PasskeyActor,
  type PasskeyDeviceType,
  type LogoutDelivery,
  type LogoutDeliveryStore,
  type ClientChangeActor,
  auditActor,
} from './ports/index.js';
export {
  CLIENT_SIGNING_ALGS,
  CLIENT_VERIFICATION_ALGS,
  acceptedClientAlgs,
  wantsLogoutNotice,
  type RegisteredClient,
  type ClientAuthMethod,
  type ClientSigningAlg,
  type ClientJwks,
  type GrantType,
} from './clients/registered-client.js';
export { redirectUriProblem } from './clients/redirect-uri.js';
export {
  SECURITY_PROFILES,
  FAPI2_SIGNING_ALGS,
  FAPI2_RULES,
  type Fapi2Rule,
  isFapi2,
  withSecurityProfile,
  clientSignatureAlgs,
  fapi2MetadataProblems,
  idTokenAlgProblem,
  type SecurityProfile,
} from './profiles/fapi2.js';
export {
  clientFromMetadataDocument,
  clientIdUrlProblem,
  isClientIdUrl,
  metadataDocumentResourceProblem,
  MAX_CLIENT_ID_METADATA_DOCUMENT_BYTES,
  MAX_CLIENT_ID_URL_LENGTH,
  type MetadataDocumentResult,
} from './clients/client-id-metadata-document.js';
export {
  clientResourceProblem,
  registrationPolicyProblems,
  resourceWithinPolicy,
  withRegistrationPolicy,
  type RegistrationPolicy,
} from './clients/registration-policy.js';
export { matchesRegisteredRedirectUri } from './clients/redirect-uri-match.js';
export { responseTypesFor, responseTypesProblem } from './clients/response-types.js';
export {
  clientMetadataMembers,
  clientMetadataSchema,
  knownClientMetadata,
  logoutUriProblem,
  MIN_CLIENT_SECRET_LENGTH,
  usesClientSecret,
  type ClientMetadata,
} from './clients/client-metadata.js';
export {
  generateClientSecret,
  hashClientSecret,
  clientSecretMatches,
} from './clients/client-secret.js';
export type { UserAccount, StandardClaims } from './users/user-account.js';
export { standardClaimsSchema } from './users/standard-claims-schema.js';
export { changedClaims } from './users/changed-claims.js';
export {
  ADMIN_SCOPE,
  SUPPORTED_SCOPES,
  SUPPORTED_CLAIMS,
  SCOPE_CLAIMS,
  parseScope,
  formatScope,
  coversScopes,
} from './scopes/scopes.js';
export { verifyS256, isValidCodeChallenge, isValidCodeVerifier } from './pkce/pkce.js';
export {
  claimsRequestSchema,
  parseClaimsRequest,
  type ClaimsRequest,
} from './tokens/claims-request.js';
export { releasedUserClaims } from './tokens/user-claims.js';
export { atHash } from './tokens/at-hash.js';
export {
  JWS_SIGNING_ALGORITHMS,
  DEFAULT_ID_TOKEN_ALG,
  type JwsSigningAlgorithm,
} from './tokens/signing-algorithms.js';
export {
  readIdTokenHint,
  type IdTokenHint,
  type IdTokenHintVerifier,
} from './tokens/id-token-hint.js';
export {
  ACCESS_TOKEN_TYP,
  REFRESH_TOKEN_TYP,
  refreshTokenAudience,
  acceptedRefreshTokenAudiences,
  reservedResourceProblem,
} from './tokens/token-types.js';
export { randomId, familyOfTokenId, familyTokenId } from './tokens/build-claims.js';
export type {
  AuthorizationRequest,
  ResponseMode,
  PromptValue,
  ResponseTarget,
} from './authorize/authorization-request.js';
export { AuthorizationError } from './authorize/authorization-error.js';
export {
  authorizationResponseTarget,
  MAX_REQUEST_OBJECT_LENGTH,
  validateAuthorizationRequest,
  type AuthorizeEndpointOptions,
} from './authorize/validate-authorization-request.js';
export {
  pushAuthorizationRequest,
  type PushDeps,
  type PushedAuthorizationResponse,
} from './par/push-authorization-request.js';
export { REQUEST_URI_PREFIX, resolvePushedRequest } from './par/pushed-request-uri.js';
export {
  parseRawParameters,
  readRawParameters,
  type RawParameters,
} from './parameters/raw-parameters.js';
export {
  consentApplies,
  nextStep,
  type NextStep,
  type NextStepInput,
  type AuthenticatedSession,
} from './authorize/next-step.js';
export {
  permittedClaimsRequest,
  claimsBeyondScopes,
  consentCovers,
  type ConsentGrant,
} from './authorize/requested-claims.js';
export {
  authorizationResponse,
  type AuthorizationResponse,
} from './authorize/authorization-response.js';
export {
  authenticateClient,
  InvalidClient,
  type ClientAuthenticationDeps,
  type PresentedClientCredentials,
} from './token-endpoint/client-authentication.js';
export {
  checkClientAssertion,
  JWT_BEARER_ASSERTION_TYPE,
  MAX_ASSERTION_LIFETIME_S,
  MAX_FUTURE_SKEW_S,
  type ClientAssertionDeps,
} from './token-endpoint/client-assertion.js';
export {
  verifyRequestObject,
  MAX_REQUEST_OBJECT_LIFETIME_S,
  type RequestObjectDeps,
} from './authorize/request-object.js';
export { handleTokenRequest, type PresentedDpopProof } from './token-endpoint/token-request.js';
export { GRANTS } from './token-endpoint/grants/index.js';
export { sha256Hex } from './hash.js';
export {
  checkDpopProof,
  isValidJkt,
  DPOP_SIGNING_ALGORITHMS,
  type DpopProofCheck,
  type CheckedDpopProof,
} from './dpop/dpop-proof.js';
export { DpopNonces } from './dpop/dpop-nonce.js';
export type {
  TokenContext,
  TokenLifetimes,
  TokenResponse,
  GrantHandler,
  TokenVerifier,
  TokenBinding,
} from './token-endpoint/token-context.js';
export {
  inspectToken,
  tokenBelongsTo,
  type LiveToken,
  type InspectionDeps,
  type InspectionPurpose,
} from './token-endpoint/token-inspection.js';
export { revokeToken } from './token-endpoint/revocation.js';
export { introspectToken, mayIntrospect } from './token-endpoint/introspection.js';
export { hintedSubject } from './authorize/hinted-subject.js';
export { issueAuthorizationCode, acrFor, type IssueCodeDeps } from './authorize/issue-code.js';
export {
  userinfoClaims,
  userinfoRelease,
  type UserinfoDeps,
  type UserinfoRelease,
  type TokenPresentation,
} from './userinfo/userinfo.js';
export {
  userinfoResponse,
  type UserinfoResponse,
  type UserinfoResponseDeps,
} from './userinfo/userinfo-response.js';
export {
  checkLogoutRequest,
  logoutClientId,
  type CheckedLogoutRequest,
  type LogoutParameters,
  type LogoutTarget,
} from './logout/logout-request.js';
export {
  planLogout,
  logoutFinish,
  type LogoutPlan,
  type LogoutFinish,
} from './logout/plan-logout.js';
export {
  logoutTokenClaims,
  logoutNotices,
  frontchannelLogoutUrls,
  BACKCHANNEL_LOGOUT_EVENT,
  LOGOUT_TOKEN_TYP,
  type LogoutNotice,
} from './logout/logout-token.js';
export {
  startDeviceAuthorization,
  DEVICE_CODE_GRANT,
  type DeviceAuthorizationDeps,
  type DeviceAuthorizationResponse,
} from './device/device-authorization.js';
export {
  generateUserCode,
  displayUserCode,
  normalizeUserCode,
  USER_CODE_ALPHABET,
} from './device/user-code.js';
export { SLOW_DOWN_STEP_SECONDS } from './token-endpoint/grants/device-code.js';
export {
  deviceInteractionRequest,
  userCodeProblem,
  type UserCodeProblem,
} from './device/device-interaction.js';
export {
  tokenExchangeGrant,
  TOKEN_EXCHANGE_GRANT,
  ACCESS_TOKEN_TYPE,
} from './token-endpoint/grants/token-exchange.js';
export {
  generateRegisteredClientId,
  registrationMetadata,
} from './registration/registration-request.js';
export {
  bearerToken,
  generateRegistrationToken,
  hashRegistrationToken,
  registrationTokenMatches,
} from './registration/registration-token.js';
export {
  ACR_PASSWORD,
  ACR_MFA,
  ACR_VALUES_SUPPORTED,
  AMR_PASSWORD,
  AMR_PASSWORD_AND_CODE,
  AMR_PASSWORD_AND_PASSKEY,
  acrOf,
  needsSecondFactor,
  reachedMfa,
  requestedAcrValues,
} from './authorize/authentication-level.js';
