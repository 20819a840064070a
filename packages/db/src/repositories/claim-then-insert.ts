import type { Database } from '../database.js';
import { Prisma } from '../generated/sqlite/client.js';

/**
 * A claim and what it entitles to, atomically: `claim` is a conditional write that changes one
 * row only for the first of concurrent requests (an UPDATE of a code's or a refresh token's first
 * use, or an `INSERT … ON CONFLICT DO NOTHING`), and each of `inserts` (an `INSERT … SELECT
 * <values>` without FROM or WHERE) happens only if it did. Resolves to whether this request's
 * claim won.
 *
 * PostgreSQL does it in one statement: data-modifying CTEs selecting FROM the claim's RETURNING
 * (the statement's count is its last insert's; foreign keys are checked at its end, so a later
 * insert may reference an earlier one's row). That statement runs in an explicit transaction, not
 * in autocommit, so that it commits only if COMMIT goes out within the deadline (raw-sql.ts):
 * sent on its own, a statement that reached a stalled server would commit whenever the server
 * went on, after the request had been answered with an error, and the client's retry with the
 * same token or code would then look like a replay. SQLite has no such statements: there it is one
 * transaction of them all, each insert conditional on `claimedBy`, an expression true only if the claim
 * wrote this request's own random id.
 */
export async function claimThenInsert(
  db: Database,
  claim: Prisma.Sql,
  inserts: readonly [Prisma.Sql, ...Prisma.Sql[]],
  claimedBy: Prisma.Sql,
): Promise<boolean> {
  if (db.provider === 'postgresql') {
    const last = inserts[inserts.length - 1]!;
    const earlier = inserts
      .slice(0, -1)
      .map(
        (insert, index) =>
          Prisma.sql`, ${Prisma.raw(`inserted${index}`)} AS (${insert} FROM claimed RETURNING 1)`,
      );
    const [inserted] = await db.sql.transaction([
      Prisma.sql`WITH claimed AS (${claim} RETURNING 1)${earlier.length > 0 ? Prisma.join(earlier, '') : Prisma.empty} ${last} FROM claimed`,
    ]);
    return inserted === 1;
  }
  const [claimed] = await db.sql.transaction([
    claim,
    ...inserts.map((insert) => Prisma.sql`${insert} WHERE ${claimedBy}`),
  ]);
  return claimed === 1;
}
