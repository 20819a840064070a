import type { Db } from './db-client.js';
import type { Prisma } from './generated/sqlite/client.js';

/**
 * Raw SQL for the statements on every request's path, through Prisma Client's public raw-query
 * API. Why raw: a model query costs several times the CPU of the same statement sent raw
 * (repositories/raw-rows.ts). The statements are Prisma tagged templates (`Prisma.sql`), so one
 * text serves both providers.
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
