import type { Prisma, PrismaClient as SqlitePrismaClient } from './generated/sqlite/client.js';
import type { MigrateOptions, MigrationResult } from './migrate/migrations.js';

/** The database kinds the identity provider runs on, named as Prisma's datasource providers. */
export type Provider = 'sqlite' | 'postgresql';

/** Every provider, in the order tests and scripts visit them. */
export const PROVIDERS: readonly Provider[] = ['sqlite', 'postgresql'];

/** A provider's folder under prisma/ and src/generated/: Prisma says "postgresql", they "postgres". */
export function providerFolder(provider: Provider): 'sqlite' | 'postgres' {
  return provider === 'sqlite' ? 'sqlite' : 'postgres';
}

/**
 * The Prisma client, whatever the provider. It is typed as the SQLite client; the PostgreSQL
 * client passes for it because test/provider-clients-agree.ts proves, at compile time, that it
 * accepts every query written against this type and returns the same rows.
 */
export type Db = SqlitePrismaClient;

/** An open database: the Prisma client plus what the application does with the database itself. */
export interface Database {
  readonly provider: Provider;
  readonly prisma: Db;
  readonly sql: RawSql;
  /**
   * Applies the pending migrations (migrate/migrations.ts).
   *
   * @throws MigrationError naming the migration that failed (and was rolled back), that was
   *   modified after it was applied, or that is recorded but missing on disk.
   */
  migrate(options?: MigrateOptions): Promise<MigrationResult>;
  /** Resolves once the database answers a query. */
  ping(): Promise<void>;
  /** Closes every connection; later calls resolve at once. */
  close(): Promise<void>;
}

/**
 * Raw SQL for the statements on every request's path (codes, refresh tokens, sessions, userinfo
 * and introspection reads, single-use ids). Why: a model query costs the server 300-600 µs of CPU
 * (Prisma 6's WebAssembly query compiler, the client and the adapter), the same statement sent raw
 * 30-200 µs (test/bench/prisma-cost.ts). The statements are Prisma tagged templates, whose
 * double-quoted identifiers and parameters mean the same in SQLite and PostgreSQL.
 */
export interface RawSql {
  /** The rows of one statement, as `prisma.$queryRaw` returns them. */
  query<Row extends object>(statement: Prisma.Sql): Promise<Row[]>;
  /** One statement's count of changed rows, as `prisma.$executeRaw`. */
  execute(statement: Prisma.Sql): Promise<number>;
  /**
   * Statements in one interactive transaction, each one's changed-row count: all commit or none
   * does, also when the transaction outlives the client's `transactionOptions.timeout`.
   */
  transaction(statements: readonly Prisma.Sql[]): Promise<number[]>;
}

/** A `Database` around a provider's client, which brings its own deadlines and outage errors. */
export function databaseOf(opened: Omit<Database, 'sql' | 'ping'>): Database {
  const { prisma, close } = opened;
  let closed: Promise<void> | undefined;
  return {
    ...opened,
    sql: {
      query: <Row extends object>(statement: Prisma.Sql) => prisma.$queryRaw<Row[]>(statement),
      execute: (statement) => prisma.$executeRaw(statement),
      transaction: (statements) =>
        prisma.$transaction(async (tx) => {
          const counts: number[] = [];
          for (const statement of statements) counts.push(await tx.$executeRaw(statement));
          return counts;
        }),
    },
    ping: async () => {
      await prisma.$queryRawUnsafe('SELECT 1');
    },
    close: () => (closed ??= close()),
  };
}
