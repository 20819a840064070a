import type { SigningKeyView } from '@idp/keys';
import {
  clientMetadataMembers,
  standardClaimsSchema,
  type ActiveSession,
  type AuditEventView,
  type BrowserSessionRecord,
  type ConsentRecord,
  type UserAccount,
} from '@idp/oidc';
import { z } from 'zod';
import { clientDocument } from '../../cli/client-document.js';
import { signingKeyJson } from '../../signing-key-json.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const time = z.iso.datetime();

/**
 * A client as the admin API answers it: the seed file's RFC 7591 document (`clients list
 * --json`), which `idp import` and POST /clients take back; never a secret.
 */
export const clientJson = clientDocument;
// The schema's members without its cross-member refinements (which the document cannot show).
export const clientMembers = clientMetadataMembers;
// A stored client always has its response_types (derived from grant_types when not given).
export const clientSchema = clientMembers
  .omit({ client_secret: true })
  .required({ response_types: true });

/** A user: `sub`, login email, status and standard claims; never the password hash. */
export function userJson(user: UserAccount) {
  return {
    sub: user.id,
    email: user.email,
    disabled: user.disabled,
    admin: user.admin,
    created_at: iso(user.createdAt),
    claims: user.claims,
  };
}
export const userSchema = z.object({
  sub: z.string(),
  email: z.string(),
  disabled: z.boolean(),
  admin: z.boolean().describe('Holds the admin role (pnpm idp users grant-admin)'),
  created_at: time,
  claims: standardClaimsSchema,
});

/** A live browser session; `id` is the hash the server keeps, never the cookie's value. */
export function sessionJson(session: BrowserSessionRecord) {
  return {
    id: session.id,
    signed_in_at: iso(session.authTime),
    expires_at: iso(session.expiresAt),
    amr: [...session.amr],
    acr: session.acr,
  };
}
export const sessionSchema = z.object({
  id: z.string(),
  signed_in_at: time,
  expires_at: time,
  amr: z.array(z.string()),
  acr: z.string().nullable(),
});

/** A live session in the server-wide list: its owner, when it began and was last used, its clients. */
export function activeSessionJson(session: ActiveSession) {
  return {
    ...sessionJson(session),
    sub: session.userId,
    email: session.userEmail,
    started_at: iso(session.createdAt),
    last_seen_at: iso(session.lastSeenAt),
    client_ids: [...session.clientIds],
  };
}
export const activeSessionSchema = sessionSchema.extend({
  sub: z.string().describe("The owner's sub"),
  email: z.string().describe("The owner's login email"),
  started_at: time,
  last_seen_at: time.describe(
    'The latest of: the start, the first code issued in it to each client, the token families born in it',
  ),
  client_ids: z.array(z.string()).describe('Clients that took part in the session'),
});

export function consentJson(consent: ConsentRecord) {
  return { client_id: consent.clientId, scopes: [...consent.scopes], claims: [...consent.claims] };
}
export const consentSchema = z.object({
  client_id: z.string(),
  scopes: z.array(z.string()),
  claims: z.array(z.string()),
});

export function auditEventJson(event: AuditEventView) {
  return {
    id: event.id,
    type: event.type,
    at: iso(event.at),
    actor: event.actor,
    user_id: event.userId,
    client_id: event.clientId,
    ip: event.ip,
    data: event.data,
  };
}
export const auditEventSchema = z.object({
  id: z.string(),
  type: z.string(),
  at: time,
  actor: z.string(),
  user_id: z.string(),
  client_id: z.string(),
  ip: z.string(),
  data: z.record(z.string(), z.unknown()),
});

/**
 * A signing key with its whole timeline: `published_at` (in the JWKS from creation, so caches
 * learn it before it signs), `signs_from` (activation), `retires_at` (stops signing),
 * `leaves_jwks_at` (when tokens it signed have all expired, or at once on revocation), and its
 * state now. Times not yet planned are null.
 */
export function keyTimelineJson(key: SigningKeyView) {
  return {
    ...signingKeyJson(key),
    published_at: iso(key.createdAt),
    signs_from: iso(key.activatesAt),
    leaves_jwks_at: iso(key.revokedAt ?? key.removesAt),
  };
}
export const keySchema = z.object({
  kid: z.string(),
  alg: z.string(),
  state: z.string(),
  size: z.number(),
  created_at: time,
  activates_at: time.nullable(),
  retires_at: time.nullable(),
  removes_at: time.nullable(),
  revoked_at: time.nullable(),
  published_at: time,
  signs_from: time.nullable(),
  leaves_jwks_at: time.nullable(),
});
