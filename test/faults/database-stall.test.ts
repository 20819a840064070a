import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { openDatabase } from '@idp/db';
import { startTcpProxy, type TcpProxy } from '@idp/db/testing';
import { TestBrowser } from '../support/browser.js';
import {
  authorizeUrl,
  basic,
  isLoginPage,
  loginTokens,
  pkce,
  webRequest,
} from '../support/flow.js';
import {
  ALICE,
  CALLBACK,
  startProvider,
  WEB_SECRET,
  type ProviderFixture,
} from '../support/provider-fixture.js';

// The server's deadline for one database call (IDP_DATABASE_TIMEOUT), and what a request may
// take beyond it: the rest of its work, on a two-core machine shared with other test runs.
const DEADLINE_MS = 2000;
const SLACK_MS = 2500;
const RETRY_AFTER = String(DEADLINE_MS / 1000);

/** One refresh as a client sees it: the answer, how long it took. */
interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly retryAfter: string | null;
  readonly ms: number;
}

async function refresh(issuer: string, token: string): Promise<Answer> {
  const started = performance.now();
  try {
    const response = await fetch(`${issuer}/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: basic('web', WEB_SECRET),
      },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: token }).toString(),
      // A client's patience; far beyond the server's deadline, so a hang shows in `ms`.
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
      retryAfter: response.headers.get('retry-after'),
      ms: performance.now() - started,
    };
  } catch (error) {
    return {
      status: 0,
      body: { error: String(error) },
      retryAfter: null,
      ms: performance.now() - started,
    };
  }
}

/**
 * Families refreshing in a loop, each as a real client does: on a 503 (or no answer) it retries
 * once with the same refresh token, then keeps that token and tries again a little later; any
 * other error loses the family. Resolves with every answer and each family's last token.
 */
function refreshLoad(issuer: string, tokens: string[]) {
  const answers: Answer[] = [];
  const lost: Answer[] = [];
  let stopped = false;
  const loops = tokens.map(async (first) => {
    let token = first;
    while (!stopped) {
      let answer = await refresh(issuer, token);
      answers.push(answer);
      if (answer.status === 503 || answer.status === 0) {
        answer = await refresh(issuer, token);
        answers.push(answer);
      }
      if (answer.status === 200) {
        token = answer.body.refresh_token as string;
      } else if (answer.status === 503 || answer.status === 0) {
        await sleep(200);
      } else {
        lost.push(answer);
        return token;
      }
    }
    return token;
  });
  return {
    answers,
    lost,
    async stop(): Promise<string[]> {
      stopped = true;
      return Promise.all(loops);
    },
  };
}

async function logins(issuer: string, count: number) {
  // One browser: the first login signs in and consents, the others reuse its session.
  const browser = new TestBrowser();
  const families = [];
  for (let index = 0; index < count; index += 1)
    families.push(await loginTokens(browser, issuer, { scope: 'openid offline_access' }));
  return families;
}

async function revokedFamilies(op: ProviderFixture): Promise<number> {
  const db = await openDatabase(op.databaseUrl);
  try {
    return await db.prisma.tokenFamily.count({ where: { revokedAt: { not: null } } });
  } finally {
    await db.close();
  }
}

/** Every answer is 200 or a well-formed 503; `alsoAllowed` lets further statuses through. */
function assertOnlyOkOr503(
  answers: readonly Answer[],
  alsoAllowed: (answer: Answer) => boolean = () => false,
) {
  const unexpected = answers.filter(
    (answer) => answer.status !== 200 && answer.status !== 503 && !alsoAllowed(answer),
  );
  assert.deepEqual(
    unexpected.map((answer) => answer.body),
    [],
    'every answer is 200 or 503',
  );
  for (const answer of answers.filter((a) => a.status === 503)) {
    assert.equal(answer.body.error, 'temporarily_unavailable');
    assert.equal(
      answer.retryAfter,
      RETRY_AFTER,
      'a 503 says when to retry (Retry-After: about one deadline)',
    );
  }
}

describe('issue 29 item 11: PostgreSQL stalls and drops connections', () => {
  let proxy: TcpProxy;
  let op: ProviderFixture;
  before(async () => {
    proxy = await startTcpProxy({ host: '127.0.0.1', port: 5432 });
    op = await startProvider(
      'postgresql',
      { IDP_DATABASE_TIMEOUT: `${DEADLINE_MS / 1000}s` },
      { route: (url) => proxy.via(url) },
    );
  });
  after(async () => {
    await op?.close();
    await proxy?.close();
  });

  test('issue 29 item 11: paused 12 s under refresh load: answers within the deadline, 503 with Retry-After, no family revoked by a retry, recovery without restart', async () => {
    const families = await logins(op.issuer, 12);
    const load = refreshLoad(
      op.issuer,
      families.map((family) => family.refresh_token!),
    );
    await sleep(1500);
    // A statement PostgreSQL received before the stall is answered (300 ms): a COMMIT it ran
    // commits whatever the server does next, the residual risk README states. What is asserted
    // here is what the server controls: nothing it sends from then on commits after it answered.
    proxy.pause({ drainMs: 300 });
    await sleep(12_000);
    proxy.resume();
    await sleep(3000);
    const tokens = await load.stop();

    const { answers, lost } = load;
    const slowest = Math.max(...answers.map((answer) => answer.ms));
    assert.ok(
      slowest <= DEADLINE_MS + SLACK_MS,
      `the slowest answer took ${Math.round(slowest)} ms; the deadline is ${DEADLINE_MS} ms`,
    );
    assert.ok(
      answers.some((answer) => answer.status === 503),
      'the stall was felt',
    );
    assertOnlyOkOr503(answers);
    assert.deepEqual(
      lost.map((answer) => answer.body),
      [],
      'no family was lost',
    );

    // RFC 9700 4.14.2 revokes a family whose rotated token comes back; a refresh answered with
    // an error must therefore not have rotated it. Every family still refreshes.
    for (const token of tokens) {
      const answer = await refresh(op.issuer, token);
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
    }
    assert.equal(await revokedFamilies(op), 0, 'no family was revoked');
    const [fresh] = await logins(op.issuer, 1);
    const userinfo = await fetch(`${op.issuer}/userinfo`, {
      headers: { authorization: `Bearer ${fresh!.access_token}` },
    });
    assert.equal(userinfo.status, 200, 'userinfo works after the stall');
  });

  test('issue 29 item 11: a sign-in posted during a stall gets a plain-words 503 page within the deadline', async () => {
    const browser = new TestBrowser();
    const loginPage = await browser.navigate(
      authorizeUrl(op.issuer, webRequest(pkce().challenge)),
      CALLBACK,
    );
    assert.ok(isLoginPage(loginPage));
    proxy.pause();
    try {
      const started = performance.now();
      const page = await browser.submit(
        loginPage,
        { username: ALICE.email, password: ALICE.password },
        CALLBACK,
      );
      const ms = performance.now() - started;
      assert.equal(page.status, 503);
      assert.match(page.headers?.get('content-type') ?? '', /^text\/html/);
      assert.equal(page.headers?.get('retry-after'), RETRY_AFTER);
      assert.match(page.html, /Temporarily unavailable/);
      assert.ok(ms <= DEADLINE_MS + SLACK_MS, `answered in ${Math.round(ms)} ms`);
    } finally {
      proxy.resume();
    }
  });

  test('issue 29 item 11: connections cut under load: only 200 or 503, and the pool recovers without a restart', async () => {
    const families = await logins(op.issuer, 6);
    const load = refreshLoad(
      op.issuer,
      families.map((family) => family.refresh_token!),
    );
    await sleep(1000);
    proxy.cut();
    await sleep(500);
    proxy.cut();
    await sleep(2000);
    const tokens = await load.stop();
    // A COMMIT whose answer the cut destroyed may have rotated a token the client still holds;
    // strict reuse detection then revokes that family (invalid_grant). Beyond that, only
    // recovery is asserted here.
    assertOnlyOkOr503(
      load.answers,
      (answer) => answer.status === 400 && answer.body.error === 'invalid_grant',
    );
    const [fresh] = await logins(op.issuer, 1);
    assert.equal(
      (await refresh(op.issuer, fresh!.refresh_token!)).status,
      200,
      'refresh works after the cut',
    );
    const userinfo = await fetch(`${op.issuer}/userinfo`, {
      headers: { authorization: `Bearer ${fresh!.access_token}` },
    });
    assert.equal(userinfo.status, 200, 'userinfo works after the cut');
    assert.ok(tokens.length === 6);
  });
});

describe('issue 29 item 11: SQLite write lock held by another process', () => {
  let op: ProviderFixture;
  before(async () => {
    op = await startProvider('sqlite', { IDP_DATABASE_TIMEOUT: `${DEADLINE_MS / 1000}s` });
  });
  after(async () => op?.close());

  test('issue 29 item 11: a refresh waits for the lock at most the deadline, answers 503 with Retry-After, and its retry rotates the same token', async () => {
    const [family] = await logins(op.issuer, 1);
    // better-sqlite3 as packages/db has it: another process (a CLI command, a second worker)
    // holding SQLite's write lock.
    const Database = createRequire(import.meta.resolve('@idp/db'))('better-sqlite3') as new (
      filename: string,
    ) => { exec(sql: string): void; close(): void };
    const other = new Database(op.databaseUrl.slice('file:'.length));
    try {
      other.exec('BEGIN IMMEDIATE');
      const blocked = await refresh(op.issuer, family!.refresh_token!);
      assert.equal(blocked.status, 503, JSON.stringify(blocked.body));
      assert.equal(blocked.body.error, 'temporarily_unavailable');
      assert.equal(blocked.retryAfter, RETRY_AFTER);
      assert.ok(
        blocked.ms >= DEADLINE_MS - 100 && blocked.ms <= DEADLINE_MS + SLACK_MS,
        `answered in ${Math.round(blocked.ms)} ms`,
      );
      other.exec('ROLLBACK');
    } finally {
      other.close();
    }
    const retried = await refresh(op.issuer, family!.refresh_token!);
    assert.equal(
      retried.status,
      200,
      'the refresh answered 503 changed nothing: its token is still unused',
    );
    assert.equal((await refresh(op.issuer, retried.body.refresh_token as string)).status, 200);
    assert.equal(await revokedFamilies(op), 0);
  });
});
