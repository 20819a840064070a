import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, before, describe, test } from 'node:test';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '@idp/db';
import { providers, scratchDatabase } from '../support/databases.js';
import { isolatedEnvironment, keyEncryptionKey } from '../support/environment.js';
import { cliEntry } from '../support/paths.js';
import { idp } from '../support/processes.js';

const validSeed = fileURLToPath(new URL('./seed.valid.json', import.meta.url));
const invalidSeed = fileURLToPath(new URL('./seed.invalid.json', import.meta.url));

/** The exit code a shell reports for a process killed by SIGPIPE (128 + 13). */
const CLOSED_PIPE = 141;

/**
 * Runs the CLI with its output going into a reader that has gone already, as in
 * `idp clients list | head -0`: every write meets a closed pipe (EPIPE).
 */
async function idpIntoClosedPipe(args: readonly string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [cliEntry, ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stderr };
}

for (const provider of providers) {
  describe(`idp CLI on ${provider}`, () => {
    let database: Awaited<ReturnType<typeof scratchDatabase>>;
    let env: Record<string, string>;

    before(async () => {
      database = await scratchDatabase(provider);
      env = await isolatedEnvironment({
        DATABASE_URL: database.url,
        IDP_KEY_ENCRYPTION_KEY: keyEncryptionKey(),
      });
    });
    after(async () => database?.drop());

    async function auditEventCount() {
      const listed = await idp(['audit', 'list', '--limit', '1000', '--json'], env);
      assert.equal(listed.code, 0, listed.stderr);
      return (JSON.parse(listed.stdout) as unknown[]).length;
    }

    /** The counter that tells running servers to reload their clients. */
    async function clientChangeCount() {
      const db = await openDatabase(database.url);
      try {
        const row = await db.prisma.changeCounter.findUnique({ where: { name: 'clients' } });
        return row?.value ?? 0;
      } finally {
        await db.close();
      }
    }

    async function counts() {
      const db = await openDatabase(database.url);
      try {
        await db.migrate(); // a failed import may not even have migrated the database
        return { clients: await db.prisma.client.count(), users: await db.prisma.user.count() };
      } finally {
        await db.close();
      }
    }

    test('import errors name the JSON path, exit 1, and write nothing', async () => {
      const result = await idp(['import', invalidSeed], env);
      assert.equal(result.code, 1);
      assert.match(
        result.stderr,
        /clients\[2\]\.redirect_uris\[0\]: must be an absolute URL without a fragment/,
      );
      assert.match(result.stderr, /users\[1\]\.email: must be an email address/);
      assert.match(result.stderr, /nothing imported/);
      assert.deepEqual(await counts(), { clients: 0, users: 0 });
    });

    test('a seed with a NUL character (which PostgreSQL cannot store) names each place, exits 1 and writes nothing', async () => {
      const seedFile = join(tmpdir(), `seed-nul-${process.pid}-${provider}.json`);
      const client = {
        client_id: 'nul-app',
        client_name: 'a\u0000b',
        redirect_uris: ['https://rp.example/cb'],
        token_endpoint_auth_method: 'none',
      };
      await writeFile(
        seedFile,
        JSON.stringify({
          clients: [client],
          users: [
            { email: 'nul@example.com', password: 'a long enough password 123', name: 'x\u0000y' },
          ],
        }),
      );
      try {
        const result = await idp(['import', seedFile], env);
        assert.equal(result.code, 1);
        assert.match(result.stderr, /clients\[0\]\.client_name: contains a NUL character/);
        assert.match(result.stderr, /users\[0\]\.name: contains a NUL character/);
        assert.match(result.stderr, /nothing imported/);
        assert.deepEqual(await counts(), { clients: 0, users: 0 });
      } finally {
        await rm(seedFile, { force: true });
      }
    });

    test('a file that is not JSON is named with the reason', async () => {
      const result = await idp(['import', fileURLToPath(import.meta.url)], env);
      assert.equal(result.code, 1);
      assert.match(result.stderr, /cli\.test\.ts: .*JSON/);
    });

    test('import creates; importing again reports every entry unchanged and writes nothing', async () => {
      const first = await idp(['import', validSeed], env);
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stdout, /clients: 3 created, 0 updated; users: 2 created, 0 updated/);
      assert.match(first.stdout, /client_secret for billing-api: [A-Za-z0-9_-]{43} \(shown once/);
      const eventsBefore = await auditEventCount();
      const changesBefore = await clientChangeCount();
      const second = await idp(['import', validSeed], env);
      assert.equal(second.code, 0, second.stderr);
      assert.match(
        second.stdout,
        /^clients: 0 created, 0 updated, 3 unchanged; users: 0 created, 0 updated, 2 unchanged$/m,
      );
      assert.doesNotMatch(
        second.stdout,
        /client_secret for/,
        'an existing client keeps its secret',
      );
      assert.equal(await auditEventCount(), eventsBefore, 'no audit event');
      assert.equal(await clientChangeCount(), changesBefore, 'running servers reload nothing');
      assert.deepEqual(await counts(), { clients: 3, users: 2 });

      // One client and one user changed: only they are written, and the import is audited.
      const seed = JSON.parse(await readFile(validSeed, 'utf8')) as {
        clients: { client_name?: string }[];
        users: { name?: string }[];
      };
      seed.clients[1]!.client_name = 'Renamed App';
      seed.users[1]!.name = 'Robert';
      const changedSeed = join(tmpdir(), `seed-changed-${process.pid}-${provider}.json`);
      await writeFile(changedSeed, JSON.stringify(seed));
      try {
        const third = await idp(['import', changedSeed], env);
        assert.equal(third.code, 0, third.stderr);
        assert.match(
          third.stdout,
          /^clients: 0 created, 1 updated, 2 unchanged; users: 0 created, 1 updated, 1 unchanged$/m,
        );
        assert.equal(await auditEventCount(), eventsBefore + 1, 'one seed.imported event');
        assert.equal(await clientChangeCount(), changesBefore + 1);
      } finally {
        await rm(changedSeed, { force: true });
      }
      assert.equal((await idp(['import', validSeed], env)).code, 0, 'back to the seed');

      const users = await idp(['users', 'list', '--json'], env);
      const list = JSON.parse(users.stdout) as {
        email: string;
        name?: string;
        email_verified?: boolean;
      }[];
      assert.deepEqual(
        list.map((u) => u.email),
        ['alice@example.com', 'bob@example.com'],
      );
      assert.equal(list[0]!.name, 'Alice Example');
    });

    test('client secrets are stored only as SHA-256 hashes', async () => {
      const db = await openDatabase(database.url);
      try {
        const row = await db.prisma.client.findUniqueOrThrow({ where: { id: 'web-app' } });
        assert.match(row.secretHash!, /^[0-9a-f]{64}$/);
        assert.ok(!JSON.stringify(row).includes('web-app-secret-that-is-at-least-32-characters'));
        assert.equal(
          (await db.prisma.client.findUniqueOrThrow({ where: { id: 'spa' } })).secretHash,
          null,
        );
      } finally {
        await db.close();
      }
    });

    test('users add, disable, enable, set-password', async () => {
      const added = await idp(
        ['users', 'add', 'dave@example.com', '--name', 'Dave', '--password-stdin'],
        env,
        { stdin: 'a long password\n' },
      );
      assert.equal(added.code, 0, added.stderr);
      const duplicate = await idp(['users', 'add', 'dave@example.com', '--password-stdin'], env, {
        stdin: 'another password',
      });
      assert.equal(duplicate.code, 1);
      assert.match(duplicate.stderr, /already exists/);
      const short = await idp(['users', 'add', 'erin@example.com', '--password-stdin'], env, {
        stdin: 'short',
      });
      assert.equal(short.code, 1);
      assert.match(short.stderr, /password: must be at least 8 characters/);

      assert.equal((await idp(['users', 'disable', 'dave@example.com'], env)).code, 0);
      assert.match(
        (await idp(['users', 'list'], env)).stdout,
        /dave@example\.com\s+\S+\s+Dave\s+disabled/,
      );
      assert.equal((await idp(['users', 'enable', 'dave@example.com'], env)).code, 0);
      assert.match(
        (await idp(['users', 'list'], env)).stdout,
        /dave@example\.com\s+\S+\s+Dave\s+enabled/,
      );

      const db = await openDatabase(database.url);
      try {
        const before = (
          await db.prisma.user.findUniqueOrThrow({ where: { email: 'dave@example.com' } })
        ).passwordHash;
        assert.match(before, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
        const changed = await idp(
          ['users', 'set-password', 'dave@example.com', '--password-stdin'],
          env,
          { stdin: 'a new long password' },
        );
        assert.equal(changed.code, 0, changed.stderr);
        const after = (
          await db.prisma.user.findUniqueOrThrow({ where: { email: 'dave@example.com' } })
        ).passwordHash;
        assert.notEqual(after, before);
      } finally {
        await db.close();
      }
      const missing = await idp(['users', 'disable', 'nobody@example.com'], env);
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /no user with email nobody@example\.com/);
    });

    test('clients add prints a secret once; rotate-secret replaces it; remove deletes', async () => {
      const added = await idp(
        [
          'clients',
          'add',
          'cli-app',
          '--name',
          'CLI App',
          '--redirect-uri',
          'https://cli.example.com/cb',
          '--grant-type',
          'authorization_code',
          '--grant-type',
          'refresh_token',
        ],
        env,
      );
      assert.equal(added.code, 0, added.stderr);
      const secret = /client_secret: (\S+)/.exec(added.stdout)?.[1];
      assert.equal(Buffer.from(secret!, 'base64url').length, 32, '256-bit secret');
      const listed = await idp(['clients', 'list'], env);
      assert.match(
        listed.stdout,
        /cli-app\s+CLI App\s+client_secret_basic\s+authorization_code,refresh_token\s+https:\/\/cli\.example\.com\/cb/,
      );
      assert.ok(!listed.stdout.includes(secret!));

      const rotated = await idp(['clients', 'rotate-secret', 'cli-app'], env);
      assert.equal(rotated.code, 0);
      assert.notEqual(/client_secret: (\S+)/.exec(rotated.stdout)?.[1], secret);

      const bad = await idp(['clients', 'add', 'bad-app', '--redirect-uri', 'not a url'], env);
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /redirect_uris\[0\]: must be an absolute URL without a fragment/);

      assert.equal((await idp(['clients', 'remove', 'cli-app'], env)).code, 0);
      const again = await idp(['clients', 'remove', 'cli-app'], env);
      assert.equal(again.code, 1);
      assert.match(again.stderr, /no client with client_id cli-app/);
    });

    test('output cut short ends the CLI quietly, and the command still does its work', async () => {
      const cut = await idpIntoClosedPipe(
        ['clients', 'add', 'piped-app', '--redirect-uri', 'https://piped.example/cb'],
        env,
      );
      assert.equal(cut.stderr, '', 'no EPIPE stack trace');
      assert.equal(cut.code, CLOSED_PIPE);
      const listed = await idp(['clients', 'list'], env);
      assert.match(listed.stdout, /^piped-app\s/m);
    });

    test('keys list shows kid, state and lifecycle times; rotate, retire and revoke', async () => {
      const first = await idp(['keys', 'rotate', '--now'], env);
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stdout, /^new key \S+ signs RS256 from \S+Z$/m);
      const firstKid = /new key (\S+)/.exec(first.stdout)![1]!;
      const pending = await idp(['keys', 'rotate'], env);
      const [, pendingKid, activation] = /new key (\S+) signs RS256 from (\S+)/.exec(
        pending.stdout,
      )!;
      assert.ok(
        pending.stdout.includes(
          `key ${firstKid} signs until ${activation}, then retires; it stays in the JWKS until the tokens it signed expire`,
        ),
        pending.stdout,
      );
      const list = await idp(['keys', 'list'], env);
      assert.match(
        list.stdout,
        /^KID\s+ALG\s+STATE\s+BITS\s+CREATED\s+ACTIVATES\s+RETIRES\s+REMOVED FROM JWKS/,
      );
      assert.match(list.stdout, new RegExp(`${pendingKid}\\s+RS256\\s+pending\\s+2048`));
      assert.match(list.stdout, /\s+RS256\s+active\s+2048/);

      const retired = await idp(['keys', 'retire', pendingKid!], env);
      assert.equal(retired.code, 0, retired.stderr);
      assert.equal(
        retired.stdout,
        `pending key ${pendingKid} cancelled: it never signed, and has left the JWKS\n`,
      );
      assert.match(
        (await idp(['keys', 'list'], env)).stdout,
        new RegExp(`^${pendingKid}\\s+RS256\\s+cancelled\\s+2048\\s+\\S+\\s+never\\s`, 'm'),
        'a key that never signed shows no activation time',
      );
      const keys = JSON.parse((await idp(['keys', 'list', '--json'], env)).stdout) as {
        kid: string;
        state: string;
      }[];
      const active = keys.find((k) => k.state === 'active')!;
      const retireActive = await idp(['keys', 'retire', active.kid], env);
      assert.equal(retireActive.code, 1);
      assert.match(retireActive.stderr, /only RS256 key that can sign; run `keys rotate` first/);

      const revoked = await idp(['keys', 'revoke', active.kid], env);
      assert.equal(revoked.code, 0, revoked.stderr);
      assert.match(revoked.stdout, /revoked; key \S+ signs now/);
      const unknown = await idp(['keys', 'revoke', 'no-such-kid'], env);
      assert.equal(unknown.code, 1);
      assert.match(unknown.stderr, /no signing key with kid no-such-kid/);
      // rotate --now over a pending key: the pending key is cancelled, not retired.
      const signingKid = /key (\S+) signs now/.exec(revoked.stdout)![1]!;
      const scheduled = await idp(['keys', 'rotate'], env);
      const scheduledKid = /new key (\S+)/.exec(scheduled.stdout)![1]!;
      const now = await idp(['keys', 'rotate', '--now'], env);
      assert.equal(now.code, 0, now.stderr);
      const lines = now.stdout.trimEnd().split('\n');
      assert.match(lines[0]!, /^new key \S+ signs RS256 from \S+Z$/);
      assert.deepEqual(lines.slice(1).sort(), [
        `key ${signingKid} stopped signing and retired; it stays in the JWKS until the tokens it signed expire`,
        `pending key ${scheduledKid} cancelled: it never signs, and leaves the JWKS now`,
      ]);
      assert.match(
        (await idp(['keys', 'list'], env)).stdout,
        new RegExp(`^${scheduledKid}\\s+RS256\\s+cancelled\\s+2048\\s+\\S+\\s+never\\s`, 'm'),
      );

      // RFC 7638 thumbprints are base64url: one in 64 starts with "-" and must not read as an option.
      for (const command of ['retire', 'revoke']) {
        const dashed = await idp(['keys', command, '-starts-with-dash'], env);
        assert.equal(dashed.code, 1, dashed.stderr);
        assert.match(dashed.stderr, /no signing key with kid -starts-with-dash/);
      }
    });
  });
}

describe('idp CLI usage', () => {
  test('--help works at every level with exit code 0', async () => {
    const env = await isolatedEnvironment({});
    // Every command the top-level help and each group's help list, found as a reader would.
    const levels: string[][] = [[]];
    const commandsOf = (help: string) =>
      [...(help.split('Commands:\n')[1] ?? '').matchAll(/^ {2}([a-z-]+)/gm)]
        .map((match) => match[1]!)
        .filter((name) => name !== 'help');
    for (let i = 0; i < levels.length; i++) {
      const args = levels[i]!;
      const result = await idp([...args, '--help'], env);
      assert.equal(result.code, 0, `${args.join(' ')} --help: ${result.stderr}`);
      assert.match(result.stdout, /Usage: idp/);
      if (args.length < 2)
        for (const name of commandsOf(result.stdout)) levels.push([...args, name]);
    }
    assert.ok(levels.length > 30, `found ${levels.length} commands`);
  });

  test('`idp help` and `idp help <command>` show help with exit code 0', async () => {
    const env = await isolatedEnvironment({});
    for (const args of [['help'], ['help', 'users'], ['keys', 'help', 'rotate']]) {
      const result = await idp(args, env);
      assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stdout, /Usage: idp/);
    }
  });

  test("each command group's summary in `idp --help` names all of its subcommands", async () => {
    const env = await isolatedEnvironment({});
    const top = await idp(['--help'], env);
    for (const group of ['users', 'clients', 'keys', 'audit']) {
      const help = await idp([group, '--help'], env);
      const commands = help.stdout.split('Commands:\n')[1]!;
      const names = [...commands.matchAll(/^ {2}([a-z-]+)/gm)]
        .map((match) => match[1]!)
        .filter((name) => name !== 'help');
      const summary = new RegExp(`^ {2}${group} .*(?:\n {4,}.*)*`, 'm').exec(top.stdout)![0];
      for (const name of names)
        assert.match(summary, new RegExp(`\\b${name}\\b`), `${group} summary: ${summary}`);
    }
  });

  test('gc --help names every kind of row gc deletes', async () => {
    const env = await isolatedEnvironment({});
    const help = (await idp(['gc', '--help'], env)).stdout.replace(/\s+/g, ' ');
    for (const kind of [
      'authorization codes',
      'sessions',
      'revocation entries',
      'refresh tokens',
      'token families',
      'single-use records',
      'pushed authorization requests',
      'device authorizations',
      'e-mailed links',
      'metadata-document clients',
      'initial access tokens',
      'one-time-code set-ups',
      'recovery codes',
      'back-channel logout deliveries',
    ])
      assert.ok(help.includes(kind), `gc --help names ${kind}`);
  });

  test('help cut short by its reader ends quietly with the closed-pipe exit code', async () => {
    const cut = await idpIntoClosedPipe(['--help'], await isolatedEnvironment({}));
    assert.equal(cut.stderr, '');
    assert.equal(cut.code, CLOSED_PIPE);
  });

  test('usage errors exit with code 2', async () => {
    const env = await isolatedEnvironment({});
    for (const args of [
      ['frobnicate'],
      ['keys', 'rotate', '--later'],
      ['users', 'add'],
      ['keys'],
    ]) {
      const result = await idp(args, env);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stdout}${result.stderr}`);
    }
  });

  test('a bad setting is reported for CLI commands too, exit code 1', async () => {
    const env = await isolatedEnvironment({ DATABASE_URL: 'oracle://x' });
    const result = await idp(['keys', 'list'], env);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /DATABASE_URL: must be file:<path>/);
  });
});
