import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Provider } from '@idp/db';

/** An empty database for one test, and the way to get rid of it. */
export interface ScratchDatabase {
  readonly provider: Provider;
  /** A URL `openDatabase` accepts. */
  readonly url: string;
  /** Deletes the database (PostgreSQL: even with connections still open). */
  drop(): Promise<void>;
}

const DEFAULT_POSTGRES_SERVER = 'postgresql://postgres@127.0.0.1:5432/test';

/**
 * FOR TESTS ONLY. Creates an empty database: a SQLite file in a new temporary folder, or a
 * PostgreSQL database `idp_test_<random hex>` created through the server at
 * `IDP_TEST_POSTGRES_URL` (default `postgresql://postgres@127.0.0.1:5432/test`).
 */
export async function createScratchDatabase(provider: Provider): Promise<ScratchDatabase> {
  return provider === 'sqlite' ? createScratchSqlite() : createScratchPostgres();
}

async function createScratchSqlite(): Promise<ScratchDatabase> {
  const dir = await mkdtemp(join(tmpdir(), 'idp-test-'));
  return {
    provider: 'sqlite',
    url: `file:${join(dir, 'idp.db')}`,
    drop: () => rm(dir, { recursive: true, force: true }),
  };
}

async function createScratchPostgres(): Promise<ScratchDatabase> {
  // eslint-disable-next-line no-restricted-syntax -- test setup, not app configuration: lets a test run use another server
  const serverUrl = process.env.IDP_TEST_POSTGRES_URL ?? DEFAULT_POSTGRES_SERVER;
  const name = `idp_test_${randomBytes(8).toString('hex')}`;
  await onServer(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    provider: 'postgresql',
    url: url.toString(),
    drop: () => onServer(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

/** Runs one statement outside a transaction (CREATE/DROP DATABASE cannot run in one), through the client. */
async function onServer(serverUrl: string, statement: string): Promise<void> {
  const server = await openDatabase(serverUrl, { poolSize: 1, timeoutMs: 30_000 });
  try {
    await server.prisma.$executeRawUnsafe(statement);
  } finally {
    await server.close();
  }
}
