import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Prisma } from '../src/generated/postgres/client.js';
import { AuthorizationCodeRepository, createScratchDatabase, openDatabase, SessionRepository, UserRepository, type Database } from '../src/index.js';
import { POSTGRES_PREPARED_STATEMENT_LIMIT, PreparedStatementNames } from '../src/postgres-statements.js';

describe('PostgreSQL prepared statements for the per-request SQL', () => {
  let drop: () => Promise<void>;
  let db: Database;

  before(async () => {
    const scratch = await createScratchDatabase('postgresql');
    drop = scratch.drop;
    // One connection, so that every statement below runs in the session whose prepared statements are read.
    db = await openDatabase(scratch.url, { poolSize: 1 });
    await db.migrate();
  });
  after(async () => {
    await db?.close();
    await drop?.();
  });

  const prepared = async () =>
    db.sql.query<{ name: string; statement: string }>(Prisma.sql`SELECT "name", "statement" FROM pg_prepared_statements ORDER BY "name"`);

  test('a raw statement is prepared once on its connection and answers the same each time', async () => {
    await db.prisma.user.create({ data: { id: 'u-prep', email: 'prep@example.com', passwordHash: 'h', claims: '{}' } });
    const lookup = (id: string) => Prisma.sql`SELECT "id", "email", "disabled", "createdAt" FROM "User" WHERE "id" = ${id}`;
    const first = await db.sql.query(lookup('u-prep'));
    const again = await db.sql.query(lookup('u-prep'));
    assert.equal(first.length, 1);
    assert.deepEqual(again, first);
    assert.deepEqual(await db.sql.query(lookup('nobody')), []);
    const statements = await prepared();
    assert.equal(statements.filter((s) => s.statement === lookup('x').text).length, 1, 'the lookup is prepared exactly once');
  });

  test("Prisma's own model queries stay unnamed, so they never pile up on the server", async () => {
    await db.prisma.user.findMany({ where: { email: { in: ['a@example.com', 'b@example.com'] } } });
    await db.prisma.user.findMany({ where: { email: { in: ['a@example.com', 'b@example.com', 'c@example.com'] } } });
    const statements = await prepared();
    assert.ok(statements.length > 0);
    // Prisma's model queries name their tables with the schema ("public"."User"); ours do not.
    for (const { statement } of statements) assert.doesNotMatch(statement, /"public"\./, `a model query was prepared: ${statement}`);
  });

  test('the per-request lookups keep answering after a migration adds columns while the server runs (a rolling upgrade)', async () => {
    const users = new UserRepository(db);
    const sessions = new SessionRepository(db);
    const codes = new AuthorizationCodeRepository(db);
    await db.prisma.user.create({ data: { id: 'u-live', email: 'live@example.com', passwordHash: 'h', claims: '{}' } });
    const session = await db.prisma.browserSession.create({
      data: { id: 's-live', userId: 'u-live', authTime: new Date(), expiresAt: new Date(Date.now() + 3_600_000) },
    });
    await db.prisma.client.create({ data: { id: 'rp-live', name: 'RP', tokenEndpointAuthMethod: 'none' } });
    await db.prisma.authorizationCode.create({
      data: {
        id: 'code-live', clientId: 'rp-live', userId: 'u-live', redirectUri: 'https://rp.example/cb', scope: 'openid',
        codeChallenge: 'c', codeChallengeMethod: 'S256', authTime: new Date(), expiresAt: new Date(Date.now() + 60_000),
      },
    });
    const read = async () => ({
      byEmail: await users.findByEmail('live@example.com'),
      byId: await users.findById('u-live'),
      session: await sessions.find(session.id),
      code: await codes.find('code-live'),
    });
    const before = await read();
    assert.ok(before.byEmail && before.session && before.code);
    for (const table of ['User', 'BrowserSession', 'AuthorizationCode']) await db.prisma.$executeRawUnsafe(`ALTER TABLE "${table}" ADD COLUMN "addedLater" TEXT`);
    try {
      assert.deepEqual(await read(), before);
    } finally {
      for (const table of ['User', 'BrowserSession', 'AuthorizationCode']) await db.prisma.$executeRawUnsafe(`ALTER TABLE "${table}" DROP COLUMN "addedLater"`);
    }
  });

  test('a statement that fails leaves its connection usable (a transaction rolled back, the next query answers)', async () => {
    const insert = (id: string) => Prisma.sql`INSERT INTO "RevokedAccessToken" ("jti", "expiresAt", "createdAt") VALUES (${id}, ${new Date()}, ${new Date()})`;
    await db.sql.transaction([insert('j-prep')]);
    await assert.rejects(db.sql.transaction([insert('j-prep-2'), insert('j-prep')]));
    const rows = await db.sql.query<{ jti: string }>(Prisma.sql`SELECT "jti" FROM "RevokedAccessToken" WHERE "jti" LIKE ${'j-prep%'}`);
    assert.deepEqual(rows.map((r) => r.jti), ['j-prep']);
  });
});

test('a statement that selects * is never prepared: its columns would be fixed at prepare time', () => {
  const names = new PreparedStatementNames();
  for (const text of [
    'SELECT * FROM "User" WHERE "id" = $1',
    'select distinct * from "User"',
    'SELECT ALL * FROM "User"',
    'SELECT DISTINCT ON ("email") * FROM "User"',
    'SELECT a.*, u."id" FROM "AuthorizationCode" a',
    'SELECT "User".* FROM "User"',
    'INSERT INTO "User" ("id") VALUES ($1) RETURNING *',
  ]) {
    names.register(text);
    assert.equal(names.nameOf(text), undefined, text);
  }
  const counted = 'SELECT count(*) AS "n" FROM "User"';
  names.register(counted);
  assert.equal(names.nameOf(counted), 'idp_0');
});

test('statement names stop at the limit, so a text that varies cannot grow every connection without bound', () => {
  const names = new PreparedStatementNames();
  for (let i = 0; i < POSTGRES_PREPARED_STATEMENT_LIMIT + 10; i += 1) names.register(`SELECT ${i}`);
  names.register('SELECT 0');
  assert.equal(names.nameOf('SELECT 0'), 'idp_0');
  assert.equal(names.nameOf(`SELECT ${POSTGRES_PREPARED_STATEMENT_LIMIT - 1}`), `idp_${POSTGRES_PREPARED_STATEMENT_LIMIT - 1}`);
  assert.equal(names.nameOf(`SELECT ${POSTGRES_PREPARED_STATEMENT_LIMIT}`), undefined);
});
