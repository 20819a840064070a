import type { Db } from './db-client.js';
import type { Prisma } from './generated/sqlite/client.js';

/**
 * Raw SQL for the statements on every request's path (codes, refresh tokens, sessions, userinfo
 * and introspection reads, single-use ids), through Prisma Client's public raw-query API. Why: a
 * model query costs the server 300-600 µs of CPU (Prisma 6's WebAssembly query compiler, the
 * client and the adapter), the same statement sent raw 30-200 µs (test/bench/prisma-cost.ts); the
 * rest of the code keeps model queries. The statements are Prisma tagged templates, whose
 * double-quoted identifiers and parameters mean the same in SQLite and PostgreSQL.
 */
export interface RawSql {
  /** The rows of one statement, exactly as `prisma.$queryRaw` returns them. */
  query<Row extends object>(statement: Prisma.Sql): Promise<Row[]>;
  /** One statement's count of changed rows, as `prisma.$executeRaw`. */
  execute(statement: Prisma.Sql): Promise<number>;
  /**
   * Statements in one transaction, in order, each one's changed-row count: all commit or, if one
   * fails, none does. It is one interactive transaction of the client, so it obeys the client's
   * `transactionOptions`: one that outlives its `timeout` is rolled back and never committed.
   */
  transaction(statements: readonly Prisma.Sql[]): Promise<number[]>;
}

/** `RawSql` on `prisma`, which brings its deadlines and outage errors (call-deadlines.ts). */
export function rawSql(prisma: Db): RawSql {
  return {
    query: <Row extends object>(statement: Prisma.Sql) => prisma.$queryRaw<Row[]>(statement),
    execute: (statement) => prisma.$executeRaw(statement),
    transaction: (statements) =>
      prisma.$transaction(async (tx) => {
        const counts: number[] = [];
        for (const statement of statements) counts.push(await tx.$executeRaw(statement));
        return counts;
      }),
  };
}
