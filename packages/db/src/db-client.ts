import type { PrismaClient as PostgresPrismaClient } from './generated/postgres/client.js';
import type { PrismaClient as SqlitePrismaClient } from './generated/sqlite/client.js';

/**
 * The Prisma client, whatever the provider. It is typed as the SQLite client; the PostgreSQL
 * client passes for it because a compile-time check (test/provider-clients-agree.ts) proves that
 * every query written against this type is accepted by the PostgreSQL client and returns the same
 * rows.
 */
export type Db = SqlitePrismaClient;

/** The PostgreSQL client as `Db`. */
export function postgresClientAsDb(client: PostgresPrismaClient): Db {
  // The clients are distinct declarations whose generic conditional types TypeScript cannot relate
  // to each other, so a direct assignment does not compile even though they agree.
  return client as unknown as Db;
}
