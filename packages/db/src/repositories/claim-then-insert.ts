import type { Database } from '../database.js';
import { Prisma } from '../generated/sqlite/client.js';

/**
 * SQLite's test that the claim, the statement just before, changed its row: `changes()` counts
 * the rows the connection's last INSERT, UPDATE or DELETE changed, and this process runs one
 * transaction at a time on its connection. Only for a claim followed by a single insert: a second
 * insert's `changes()` would be the first insert's count.
 */
const CLAIM_CHANGED_A_ROW = Prisma.sql`changes() = 1`;

/**
 * A claim and what it entitles to, atomically: `claim` is a conditional write that changes one
 * row only for the first of concurrent requests (an UPDATE of a code's or a refresh token's first
 * use, or an `INSERT … ON CONFLICT DO NOTHING`), and each of `inserts` (an `INSERT … SELECT
 * <values>` without FROM or WHERE) happens only if it did. Resolves to whether this claim won.
 *
 * PostgreSQL does it in one statement: data-modifying CTEs selecting FROM the claim's RETURNING
 * (foreign keys are checked at the statement's end, so a later insert may reference an earlier
 * one's row). It runs in an explicit transaction, so that it commits only if COMMIT goes out
 * within the deadline (database.ts): sent on its own, a statement that reached a stalled server
 * would commit whenever the server went on, after the request was answered with an error, and the
 * client's retry with the same token or code would look like a replay. SQLite has no such
 * statements: there it is one transaction of them all, each insert conditional on `claimedBy`, an
 * expression true only if the claim wrote this request's own random id.
 */
export async function claimThenInsert(
  db: Database,
  claim: Prisma.Sql,
  inserts: readonly [Prisma.Sql, ...Prisma.Sql[]],
  claimedBy: Prisma.Sql = CLAIM_CHANGED_A_ROW,
): Promise<boolean> {
  if (db.provider === 'postgresql') {
    const ctes = inserts.slice(0, -1).map((insert, i) => {
      return Prisma.sql`, ${Prisma.raw(`inserted${i}`)} AS (${insert} FROM claimed RETURNING 1)`;
    });
    const [inserted] = await db.sql.transaction([
      Prisma.sql`WITH claimed AS (${claim} RETURNING 1)${Prisma.join([Prisma.empty, ...ctes], '')} ${inserts.at(-1)!} FROM claimed`,
    ]);
    return inserted === 1;
  }
  const where = inserts.map((insert) => Prisma.sql`${insert} WHERE ${claimedBy}`);
  const [claimed] = await db.sql.transaction([claim, ...where]);
  return claimed === 1;
}
