import type { RegisteredClient } from '../clients/registered-client.js';
import { sha256Hex } from '../hash.js';
import { idTokenAlgProblem, rotatesRefreshTokens } from '../profiles/fapi2.js';
import type { NewRefreshToken, TokenFamilyRecord } from '../ports/index.js';
import { formatScope } from '../scopes/scopes.js';
import type { TokenContext, TokenResponse } from '../token-endpoint/token-context.js';
import { accessTokenAudience } from './access-token-audience.js';
import type { UserAccount } from '../users/user-account.js';
import { atHash } from './at-hash.js';
import {
  accessTokenClaims,
  familyTokenId,
  idTokenClaims,
  randomId,
  refreshTokenClaims,
} from './build-claims.js';
import { ACCESS_TOKEN_TYP, REFRESH_TOKEN_TYP, refreshTokenAudience } from './token-types.js';
import { releasedUserClaims } from './user-claims.js';

/** What one grant's tokens are made from. */
interface TokenSetInput {
  readonly ctx: TokenContext;
  readonly client: RegisteredClient;
  readonly user: UserAccount;
  readonly family: TokenFamilyRecord;
  /** Scopes of this access token (a refresh may narrow the family's). */
  readonly scopes: readonly string[];
  readonly resources: readonly string[];
  readonly nonce: string | undefined;
  readonly now: number;
  /** The DPoP key the access token is bound to (RFC 9449 5); undefined: a Bearer token. */
  readonly jkt?: string | undefined;
  /** The DPoP key the refresh token is bound to: a public client's (RFC 9449 5), fixed for its family. */
  readonly refreshJkt?: string | undefined;
  /** False: no new refresh token (a refresh without rotation keeps the one presented). */
  readonly newRefreshToken?: boolean;
}

/**
 * Signs the tokens of one grant for a family: an access token with `scopes`, an ID token when
 * `openid` is among them, and the family's next refresh token when the client may refresh.
 * Nothing is stored here; the grant persists the returned refresh token atomically.
 */
export async function issueTokenSet(
  input: TokenSetInput,
): Promise<{ response: TokenResponse; refreshToken: NewRefreshToken | null }> {
  // The ID token's at_hash needs the signed access token; the refresh token needs neither, so it
  // is signed meanwhile (signatures run on the libuv threadpool): a grant waits for two
  // signatures in a row, not three.
  const [response, refresh] = await Promise.all([
    signAccessAndIdTokens(input),
    input.newRefreshToken !== false && input.client.grantTypes.includes('refresh_token')
      ? signRefreshToken(input)
      : null,
  ]);
  if (!refresh) return { response, refreshToken: null };
  response.refresh_token = refresh.token;
  return { response, refreshToken: refresh.record };
}

async function signAccessAndIdTokens(input: TokenSetInput): Promise<TokenResponse> {
  const { ctx, client, user, family, scopes, now } = input;
  const { issuer, lifetimes } = ctx;
  const accessToken = await ctx.signer.sign(
    accessTokenClaims({
      issuer,
      subject: user.id,
      audience: accessTokenAudience(issuer, client, input.resources, scopes),
      clientId: client.clientId,
      scopes,
      jti: familyTokenId(family.id),
      now,
      ttlSeconds: lifetimes.accessToken,
      authTime: family.authTime,
      ...(input.jkt === undefined ? {} : { jkt: input.jkt }),
    }),
    { typ: ACCESS_TOKEN_TYP },
  );
  const tokenType = input.jkt === undefined ? 'Bearer' : 'DPoP';
  const response: TokenResponse = {
    access_token: accessToken,
    token_type: tokenType,
    expires_in: lifetimes.accessToken,
    scope: formatScope(scopes),
  };
  if (!scopes.includes('openid')) return response;

  // Scope claims go in the ID token as well as userinfo (OIDC Core 5.4 allows both), so a
  // client gets the user's name and email without a second round trip. The ID token is signed
  // with the client's registered algorithm (OIDC Registration 2), its at_hash with that hash.
  const alg = client.idTokenSignedResponseAlg;
  // A registration that no longer fits the server (its algorithm taken out of
  // IDP_SIGNING_ALGORITHMS, or RS256 for a FAPI 2.0 client) is the client's error, not a 500.
  const algProblem = idTokenAlgProblem(client, ctx.signer.signingAlgorithms());
  if (algProblem) throw algProblem;
  response.id_token = await ctx.signer.sign(
    idTokenClaims({
      issuer,
      subject: user.id,
      clientId: client.clientId,
      now,
      ttlSeconds: lifetimes.idToken,
      authTime: family.authTime,
      nonce: input.nonce,
      sid: family.sessionId ?? undefined,
      amr: family.amr,
      acr: family.acr ?? undefined,
      atHash: atHash(accessToken, alg),
      extra: releasedUserClaims(user, scopes, Object.keys(family.claims?.id_token ?? {})),
    }),
    { alg },
  );
  return response;
}

async function signRefreshToken({
  ctx,
  client,
  user,
  family,
  now,
  refreshJkt,
}: TokenSetInput): Promise<{ token: string; record: NewRefreshToken }> {
  const jti = randomId();
  const expiresAt = Math.min(now + ctx.lifetimes.refreshTokenIdle * 1000, family.expiresAt);
  const token = await signRefreshTokenClaims(ctx, {
    subject: user.id,
    clientId: client.clientId,
    jti,
    issuedAt: now,
    // A token that is not rotated (FAPI 2.0 SP 5.3.2.1) is used again and again: its idle expiry
    // moves with each use in its row (the authority), so its signed `exp` is the family's end.
    expiresAt: rotatesRefreshTokens(client) ? expiresAt : family.expiresAt,
    jkt: refreshJkt,
  });
  return {
    token,
    record: { id: jti, familyId: family.id, tokenHash: sha256Hex(token), expiresAt },
  };
}

/**
 * A refresh token from what its row keeps (jti, issue and expiry times) and its family's subject
 * and client. Signed again with the same key, it is the same token as long as the token
 * algorithm is deterministic (RS256, EdDSA): identical header and claims give identical bytes.
 * The configuration refuses a reuse grace period with PS256 or ES256 tokens for that reason.
 */
export function signRefreshTokenClaims(
  ctx: Pick<TokenContext, 'issuer' | 'signer'>,
  token: {
    subject: string;
    clientId: string;
    jti: string;
    issuedAt: number;
    expiresAt: number;
    jkt?: string | undefined;
  },
): Promise<string> {
  return ctx.signer.sign(
    refreshTokenClaims({
      issuer: ctx.issuer,
      audience: refreshTokenAudience(ctx.issuer),
      subject: token.subject,
      clientId: token.clientId,
      jti: token.jti,
      now: token.issuedAt,
      expiresAt: token.expiresAt,
      ...(token.jkt === undefined ? {} : { jkt: token.jkt }),
    }),
    { typ: REFRESH_TOKEN_TYP },
  );
}
