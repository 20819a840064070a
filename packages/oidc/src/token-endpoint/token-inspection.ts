import type { RegisteredClient } from '../clients/registered-client.js';
import { sha256Matches } from '../hash.js';
import type { RefreshTokenStore, TokenFamilyRecord, TokenFamilyStore } from '../ports/index.js';
import { familyOfTokenId } from '../tokens/build-claims.js';
import {
  ACCESS_TOKEN_TYP,
  acceptedRefreshTokenAudiences,
  REFRESH_TOKEN_TYP,
} from '../tokens/token-types.js';
import type { TokenVerifier } from './token-context.js';

/** A token of ours that is currently valid, with what introspection and revocation need. */
export type LiveToken =
  | {
      readonly kind: 'access_token';
      readonly payload: Record<string, unknown>;
      readonly family: TokenFamilyRecord | null;
    }
  | {
      readonly kind: 'refresh_token';
      readonly payload: Record<string, unknown>;
      readonly family: TokenFamilyRecord;
    };

export interface InspectionDeps {
  readonly issuer: string;
  readonly now: number;
  readonly verifier: TokenVerifier;
  readonly families: TokenFamilyStore;
  readonly refreshTokens: RefreshTokenStore;
}

/**
 * Whether the token will be presented again. Resource servers introspect the same access token
 * on each call they serve, so its verification is worth remembering; a token being revoked is
 * never live again, and remembering each one only fills the bounded cache (and the heap, which
 * the garbage collector then copies) with entries that push out the ones that would be hit.
 */
export type InspectionPurpose = 'introspection' | 'revocation';

/**
 * Identifies a presented token as one of our live access or refresh tokens, or undefined for
 * anything else: malformed, foreign-signed, expired, revoked, used, or unknown. `hint` only
 * decides which kind is tried first (RFC 7009 2.1, RFC 7662 2.1).
 */
export async function inspectToken(
  token: string,
  hint: string | undefined,
  deps: InspectionDeps,
  purpose: InspectionPurpose,
): Promise<LiveToken | undefined> {
  const order =
    hint === 'refresh_token' ? [asRefreshToken, asAccessToken] : [asAccessToken, asRefreshToken];
  for (const attempt of order) {
    const live = await attempt(token, deps, purpose);
    if (live) return live;
  }
  return undefined;
}

async function verifiedAccessToken(
  token: string,
  deps: InspectionDeps,
  purpose: InspectionPurpose,
) {
  try {
    // Access tokens may be for any audience (resource servers introspect theirs).
    const remember = purpose === 'introspection';
    const { payload } = await deps.verifier.verify(token, {
      typ: ACCESS_TOKEN_TYP,
      issuer: deps.issuer,
      remember,
    });
    return payload;
  } catch {
    return undefined;
  }
}

async function asAccessToken(
  token: string,
  deps: InspectionDeps,
  purpose: InspectionPurpose,
): Promise<LiveToken | undefined> {
  const payload = await verifiedAccessToken(token, deps, purpose);
  if (!payload || typeof payload.jti !== 'string') return undefined;
  const familyId = familyOfTokenId(payload.jti);
  const state = await deps.families.accessTokenState(payload.jti, familyId ?? null);
  if (state.revoked) return undefined;
  if (!familyId) return { kind: 'access_token', payload, family: null };
  const { family } = state;
  if (!family || family.revokedAt !== null) return undefined;
  return { kind: 'access_token', payload, family };
}

async function asRefreshToken(token: string, deps: InspectionDeps): Promise<LiveToken | undefined> {
  // As in the refresh grant: the stored hash, not the signature, proves a refresh token ours.
  let payload: Record<string, unknown>;
  try {
    payload = deps.verifier.decodeUnverified(token, {
      typ: REFRESH_TOKEN_TYP,
      issuer: deps.issuer,
      audience: acceptedRefreshTokenAudiences(deps.issuer),
    });
  } catch {
    return undefined;
  }
  if (typeof payload.jti !== 'string') return undefined;
  const record = await deps.refreshTokens.find(payload.jti);
  if (!record || !sha256Matches(token, record.tokenHash)) return undefined;
  const { family } = record;
  const expired =
    deps.now >= record.expiresAt ||
    deps.now >= family.expiresAt ||
    deps.now >= Number(payload.exp) * 1000;
  if (family.revokedAt !== null || record.usedAt !== null || expired) return undefined;
  return { kind: 'refresh_token', payload, family };
}

/** Whether `client` may see or revoke `token`: its own tokens, or access tokens meant for it. */
export function tokenBelongsTo(token: LiveToken, client: RegisteredClient): boolean {
  if (token.payload.client_id === client.clientId) return true;
  if (token.kind === 'refresh_token') return false;
  const aud = token.payload.aud;
  return Array.isArray(aud) ? aud.includes(client.clientId) : aud === client.clientId;
}
