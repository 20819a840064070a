import type { ClaimsRequest, StandardClaims, TokenFamilyRecord, UserAccount } from '@idp/oidc';
import { Prisma } from '../generated/sqlite/client.js';

/*
 * Raw SQL for the per-request paths (token, userinfo, introspection, revocation, login, authorize).
 *
 * Why: a Prisma model query costs the server 300-600 µs of CPU here (Prisma 6's WebAssembly query
 * compiler, the client and the driver adapter), a raw statement through the same client and
 * adapter 30-200 µs (`node --import tsx bench/prisma-cost.ts` in test/). A refresh made 9 model
 * queries, more CPU than its three RSA signatures. The rest of the code keeps model queries.
 *
 * The SQL is written once for both providers: double-quoted identifiers and `?`/`$n` parameters
 * (Prisma's tagged templates) mean the same in SQLite and PostgreSQL. Joined rows alias every
 * column, since both tables of a join have an `id`.
 */

/** A column value as either driver returns it: SQLite's INTEGER booleans and counts come back as numbers or bigints. */
export type RawValue = string | number | bigint | boolean | Date | null;

export function rawDate(value: RawValue): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'string' || typeof value === 'number') return new Date(value);
  throw new TypeError(`expected a timestamp, got ${typeof value}`);
}

export function rawTime(value: RawValue): number {
  return rawDate(value).getTime();
}

export function rawTimeOrNull(value: RawValue): number | null {
  return value === null ? null : rawTime(value);
}

export function rawBoolean(value: RawValue): boolean {
  return value === true || value === 1 || value === 1n;
}

export function rawString(value: RawValue): string {
  if (typeof value !== 'string') throw new TypeError(`expected text, got ${typeof value}`);
  return value;
}

export function rawStringOrNull(value: RawValue): string | null {
  return value === null ? null : rawString(value);
}

/** The TokenFamily columns, aliased `f_*`, of a query that names the table `f`. */
export const FAMILY_COLUMNS = Prisma.sql`f."id" AS "f_id", f."clientId" AS "f_clientId", f."userId" AS "f_userId",
  f."sessionId" AS "f_sessionId", f."scope" AS "f_scope", f."claims" AS "f_claims", f."authTime" AS "f_authTime",
  f."amr" AS "f_amr", f."acr" AS "f_acr", f."offlineAccess" AS "f_offlineAccess", f."createdAt" AS "f_createdAt",
  f."expiresAt" AS "f_expiresAt", f."revokedAt" AS "f_revokedAt"`;

/** The User columns, aliased `u_*`, of a query that names the table `u`. */
export const USER_COLUMNS = Prisma.sql`u."id" AS "u_id", u."email" AS "u_email", u."passwordHash" AS "u_passwordHash",
  u."disabled" AS "u_disabled", u."claims" AS "u_claims", u."createdAt" AS "u_createdAt"`;

export type RawRow = Record<string, RawValue>;

/** The family of a row selected with FAMILY_COLUMNS (null when a LEFT JOIN found none). */
export function familyFromRaw(row: RawRow): TokenFamilyRecord | null {
  if (row.f_id === null || row.f_id === undefined) return null;
  const claims = rawStringOrNull(row.f_claims!);
  return {
    id: rawString(row.f_id),
    clientId: rawString(row.f_clientId!),
    userId: rawString(row.f_userId!),
    sessionId: rawStringOrNull(row.f_sessionId!),
    scopes: rawString(row.f_scope!).split(' ').filter(Boolean),
    claims: claims === null ? null : (JSON.parse(claims) as ClaimsRequest),
    authTime: rawTime(row.f_authTime!),
    amr: JSON.parse(rawString(row.f_amr!)) as string[],
    acr: rawStringOrNull(row.f_acr!),
    offlineAccess: rawBoolean(row.f_offlineAccess!),
    createdAt: rawTime(row.f_createdAt!),
    expiresAt: rawTime(row.f_expiresAt!),
    revokedAt: rawTimeOrNull(row.f_revokedAt!),
  };
}

/** The user of a row selected with USER_COLUMNS (null when a LEFT JOIN found none). */
export function userFromRaw(row: RawRow): UserAccount | null {
  if (row.u_id === null || row.u_id === undefined) return null;
  return {
    id: rawString(row.u_id),
    email: rawString(row.u_email!),
    passwordHash: rawString(row.u_passwordHash!),
    disabled: rawBoolean(row.u_disabled!),
    claims: JSON.parse(rawString(row.u_claims!)) as StandardClaims,
    createdAt: rawTime(row.u_createdAt!),
  };
}
