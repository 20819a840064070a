import { Prisma } from '../generated/sqlite/client.js';

/*
 * Raw SQL for the per-request paths (token, userinfo, introspection, revocation, login, authorize).
 *
 * Why: a Prisma model query costs the server 300-600 µs of CPU here (Prisma 6's WebAssembly query
 * compiler, the client and the driver adapter), a raw statement through the same client and
 * adapter 30-200 µs (`node --import tsx bench/prisma-cost.ts` in test/). A refresh made 9 model
 * queries, more CPU than its three RSA signatures. The rest of the code keeps model queries.
 * The statements are Prisma tagged templates, run through the client's `$queryRaw` and
 * `$executeRaw` (`db.sql`, raw-sql.ts).
 *
 * The SQL is written once for both providers: double-quoted identifiers and `?`/`$n` parameters
 * (Prisma's tagged templates) mean the same in SQLite and PostgreSQL. `$queryRaw` types a
 * table's columns as the models do (DateTime as Date, Boolean as boolean), on SQLite from the
 * declared column types, so raw rows go through the same mappers as model rows; an expression
 * has no declared type there (`rawBoolean`). Joined rows
 * alias every column with a per-table prefix, since both tables of a join have an `id`;
 * `aliased` takes one table's columns back out.
 */

/** A joined row, its columns prefixed per table (`f_id`, `u_id`, ...). */
export type RawRow = Record<string, unknown>;

/**
 * The columns of one table of a joined row, without their prefix; null when a LEFT JOIN found no
 * row there (its `id` is null).
 */
export function aliased<Row>(row: RawRow, prefix: string): Row | null {
  if (row[`${prefix}id`] === null || row[`${prefix}id`] === undefined) return null;
  const columns: RawRow = {};
  for (const key of Object.keys(row))
    if (key.startsWith(prefix)) columns[key.slice(prefix.length)] = row[key];
  return columns as Row;
}

/** An expression's truth as either driver returns it: PostgreSQL a boolean, SQLite an INTEGER (bigint). */
export function rawBoolean(value: unknown): boolean {
  return value === true || value === 1 || value === 1n;
}

/** The TokenFamily columns (all but revokedReason), aliased `f_*`, of a query that names the table `f`. */
export const FAMILY_COLUMNS = Prisma.sql`f."id" AS "f_id", f."clientId" AS "f_clientId", f."userId" AS "f_userId",
  f."sessionId" AS "f_sessionId", f."scope" AS "f_scope", f."claims" AS "f_claims", f."authTime" AS "f_authTime",
  f."amr" AS "f_amr", f."acr" AS "f_acr", f."offlineAccess" AS "f_offlineAccess", f."resources" AS "f_resources", f."createdAt" AS "f_createdAt",
  f."expiresAt" AS "f_expiresAt", f."revokedAt" AS "f_revokedAt"`;

/** The User columns a UserAccount is made of (row-mappers.ts's UserAccountColumns). */
const USER_ACCOUNT_FIELDS = [
  'id',
  'email',
  'passwordHash',
  'disabled',
  'claims',
  'createdAt',
] as const;

/** The User columns a UserAccount needs, aliased `u_*`, of a query that names the table `u`. */
export const USER_COLUMNS = Prisma.raw(
  USER_ACCOUNT_FIELDS.map((field) => `u."${field}" AS "u_${field}"`).join(', '),
);

/*
 * Statements name their columns rather than select `*`, so that a migration adding a column while
 * the server runs (a rolling upgrade) changes nothing a mapper sees, and a connection pooler that
 * prepares statements never holds a `*` whose columns changed under it.
 */

/** The User columns a UserAccount needs, unprefixed, for a query on "User" alone. */
export const USER_ACCOUNT_COLUMNS = Prisma.raw(
  USER_ACCOUNT_FIELDS.map((field) => `"${field}"`).join(', '),
);

/** The BrowserSession columns a session record needs, for a query on "BrowserSession" alone. */
export const SESSION_COLUMNS = Prisma.sql`"id", "userId", "authTime", "amr", "acr", "createdAt", "expiresAt", "endedAt"`;

/** The AuthorizationCode columns, unprefixed, of a query that names the table `a`. */
export const CODE_COLUMNS = Prisma.sql`a."id", a."clientId", a."userId", a."sessionId", a."redirectUri", a."scope", a."nonce",
  a."codeChallenge", a."codeChallengeMethod", a."claims", a."resources", a."authTime", a."amr", a."acr", a."dpopJkt", a."createdAt",
  a."expiresAt", a."consumedAt", a."familyId"`;
