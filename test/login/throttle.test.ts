import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { TestBrowser, type Page } from '../support/browser.js';
import { providers } from '../support/databases.js';
import { authorizeUrl, isConsentPage, isLoginPage, pkce, webRequest } from '../support/flow.js';
import { idp } from '../support/processes.js';
import {
  ALICE,
  CALLBACK,
  startProvider,
  type ProviderFixture,
} from '../support/provider-fixture.js';

const BOB = { email: 'bob@example.com', password: 'bob has a long password' };
const FAILURES_PER_ACCOUNT = 3;
/** The default IDP_LOGIN_RATE_LIMIT_PER_IP. */
const FAILURES_PER_ADDRESS = 60;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Signed in: the consent page or the client's redirect_uri, not the login page again. */
const signedIn = (page: Page) => page.redirectedTo !== undefined || isConsentPage(page);

for (const provider of providers) {
  describe(`login throttling stops guessing, not owners (${provider})`, () => {
    let op: ProviderFixture;
    before(async () => {
      op = await startProvider(provider, {
        IDP_LOGIN_FAILURES_PER_ACCOUNT: String(FAILURES_PER_ACCOUNT),
      });
    });
    after(async () => op?.close());

    async function addUser(email: string, password: string) {
      const added = await idp(['users', 'add', email, '--password-stdin'], op.env, {
        stdin: password,
      });
      assert.equal(added.code, 0, added.stderr);
      return { email, password };
    }

    /** One sign-in attempt through the login form (prompt=login, so a session does not skip it). */
    async function attempt(
      browser: TestBrowser,
      user: { email: string; password: string },
    ): Promise<Page> {
      const page = await browser.navigate(
        authorizeUrl(op.issuer, webRequest(pkce().challenge, { prompt: 'login' })),
        CALLBACK,
      );
      assert.ok(isLoginPage(page), `expected the login page, got ${page.status}`);
      return browser.submit(page, { username: user.email, password: user.password }, CALLBACK);
    }

    const logEvents = () =>
      op.server
        .logLines()
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>);

    test("issue 29 item 2: the attacker's address is refused after N failures; the owner still signs in from a known browser or address, new sources are slowed", async () => {
      const carol = await addUser('carol@example.com', 'carol has a long password');
      const wrong = { ...carol, password: 'not the password' };
      const owner = new TestBrowser({ from: '127.0.0.2' });
      assert.ok(
        signedIn(await attempt(owner, carol)),
        'the owner signs in once from her own browser',
      );

      const attacker = new TestBrowser({ from: '127.0.0.3' });
      for (let n = 0; n < FAILURES_PER_ACCOUNT; n += 1)
        assert.equal((await attempt(attacker, wrong)).status, 401);
      const refused = await attempt(attacker, wrong);
      assert.equal(refused.status, 429, "the attacker's address is refused for this account");
      assert.match(refused.html, /Too many/);
      assert.equal(
        (await attempt(attacker, carol)).status,
        429,
        "even the right password, from the attacker's address",
      );

      assert.ok(signedIn(await attempt(owner, carol)), "the owner's known browser still signs in");
      const ownerOtherBrowser = new TestBrowser({ from: '127.0.0.2' });
      assert.ok(
        signedIn(await attempt(ownerOtherBrowser, carol)),
        "so does a new browser at the owner's known address",
      );
      const ownerOnTheRoad = new TestBrowser({ from: '127.0.0.4' });
      ownerOnTheRoad.copyCookiesFrom(owner);
      assert.ok(
        signedIn(await attempt(ownerOnTheRoad, carol)),
        'and the known browser on another network',
      );
      assert.ok(
        Number(refused.headers?.get('retry-after')) > 0,
        'Retry-After says when to come back (RFC 6585 4)',
      );

      // The account has had N failures in all: new sources share one attempt per interval.
      const firstNewcomer = await attempt(new TestBrowser({ from: '127.0.0.5' }), wrong);
      assert.equal(firstNewcomer.status, 401, 'a new source is slowed down, not refused outright');
      const secondNewcomer = await attempt(new TestBrowser({ from: '127.0.0.6' }), carol);
      assert.equal(secondNewcomer.status, 429);
      assert.match(secondNewcomer.html, /new devices are slowed down/);
      assert.ok(signedIn(await attempt(owner, carol)), 'the owner is still not held back');
    });

    test('issue 29 item 2: `idp users unlock <email>` forgives the failures counted so far', async () => {
      const dave = await addUser('dave@example.com', 'dave has a long password');
      const browser = new TestBrowser({ from: '127.0.0.7' });
      for (let n = 0; n < FAILURES_PER_ACCOUNT; n += 1)
        assert.equal((await attempt(browser, { ...dave, password: 'nope, wrong' })).status, 401);
      assert.equal((await attempt(browser, dave)).status, 429);

      const unlocked = await idp(['users', 'unlock', 'Dave@Example.com'], op.env);
      assert.equal(unlocked.code, 0, unlocked.stderr);
      assert.match(unlocked.stdout, /dave@example\.com unlocked/);
      assert.ok(
        signedIn(await attempt(browser, dave)),
        'the refused source signs in after the unlock',
      );

      const unknown = await idp(['users', 'unlock', 'nobody@example.com'], op.env);
      assert.equal(unknown.code, 1);
      assert.match(unknown.stderr, /no user with email nobody@example\.com/);
      const audit = JSON.parse(
        (await idp(['audit', 'list', '--json', '--type', 'login.unlocked'], op.env)).stdout,
      ) as { actor: string }[];
      assert.equal(audit.length, 1);
      assert.equal(audit[0]!.actor, 'cli');
    });

    test('issue 29 item 3: 100 successful sign-ins from one address within a minute all pass', async () => {
      const started = Date.now();
      for (let n = 0; n < 100; n += 1) {
        const colleague = new TestBrowser({ from: '127.0.0.8' });
        const page = await attempt(colleague, n % 2 === 0 ? ALICE : BOB);
        assert.ok(signedIn(page), `sign-in ${n + 1} got ${page.status}`);
      }
      assert.ok(Date.now() - started < 60_000, 'within one minute');
    });

    test('issue 29 item 3: a flood of junk from an address is counted and logged, and the right password from it still signs in', async () => {
      const erin = await addUser('erin@example.com', 'erin has a long password');
      const flooder = new TestBrowser({ from: '127.0.0.9' });
      for (let n = 0; n < FAILURES_PER_ADDRESS + 40; n += 1) {
        const junk = await flooder.request(`${op.issuer}/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            username: `junk${n}`,
            password: 'x',
            interaction: 'junk',
            csrf: 'junk',
          }).toString(),
        });
        assert.ok(junk.status === 400 || junk.status === 403, `junk answered ${junk.status}`);
        await junk.text();
      }
      // Well-formed pages with nothing typed in: answered without a password check.
      // Each page is accepted once (item 5), so every empty submission uses the page it got back.
      let page = await flooder.navigate(
        authorizeUrl(op.issuer, webRequest(pkce().challenge)),
        CALLBACK,
      );
      for (let n = 0; n < 5; n += 1) {
        page = await flooder.submit(page, { username: '', password: '' }, CALLBACK);
        assert.equal(page.status, 401);
      }

      assert.ok(
        logEvents().some(
          (event) => event.event === 'login.malformed_flood' && event.ip === '127.0.0.9',
        ),
        'the flood is logged',
      );
      // Erin has never signed in from this address before.
      assert.ok(
        signedIn(await attempt(new TestBrowser({ from: '127.0.0.9' }), erin)),
        'the right password still signs in',
      );
    });

    test('issue 29 items 2 and 3: password spraying from one address is refused there, but accounts known to that address still sign in', async () => {
      const office = '127.0.0.10';
      assert.ok(
        signedIn(await attempt(new TestBrowser({ from: office }), ALICE)),
        'Alice has signed in from the office before',
      );
      const sprayer = new TestBrowser({ from: office });
      let page = await sprayer.navigate(
        authorizeUrl(op.issuer, webRequest(pkce().challenge)),
        CALLBACK,
      );
      for (let n = 0; n < FAILURES_PER_ADDRESS; n += 1) {
        page = await sprayer.submit(
          page,
          { username: `someone${n}@example.com`, password: 'Summer2025!' },
          CALLBACK,
        );
        assert.equal(page.status, 401, `spray attempt ${n + 1}`);
      }
      const refused = await sprayer.submit(
        page,
        { username: 'one-more@example.com', password: 'Summer2025!' },
        CALLBACK,
      );
      assert.equal(refused.status, 429, 'the address is refused for accounts it does not know');
      assert.match(refused.html, /from your network/);
      assert.ok(
        signedIn(await attempt(new TestBrowser({ from: office }), ALICE)),
        'Alice, known at this address, still signs in',
      );
    });

    test('issue 29 item 17: failed and throttled logins are logged with reason, client, address and user or hashed account, never the password or the email', async () => {
      const frank = await addUser('frank@example.com', 'frank has a long password');
      const guesser = new TestBrowser({ from: '127.0.0.11' });
      const secretGuess = 'frank-guess-that-must-not-be-logged';
      for (let n = 0; n < FAILURES_PER_ACCOUNT; n += 1)
        assert.equal((await attempt(guesser, { ...frank, password: secretGuess })).status, 401);
      assert.equal((await attempt(guesser, frank)).status, 429);
      const stranger = 'stranger-not-to-be-logged@example.com';
      assert.equal(
        (await attempt(guesser, { email: stranger, password: secretGuess })).status,
        401,
      );

      const frankId = (
        JSON.parse((await idp(['users', 'list', '--json'], op.env)).stdout) as {
          sub: string;
          email: string;
        }[]
      ).find((u) => u.email === frank.email)!.sub;
      const events = logEvents().filter((event) => event.ip === '127.0.0.11');
      const failed = events.filter((event) => event.event === 'login.failed');
      assert.equal(failed.length, FAILURES_PER_ACCOUNT + 1);
      assert.ok(failed.every((event) => event.clientId === 'web' && event.msg === 'login failed'));
      assert.ok(
        failed.some((event) => event.reason === 'wrong_password' && event.userId === frankId),
      );
      assert.ok(
        failed.some(
          (event) => event.reason === 'unknown_account' && event.account === sha256(stranger),
        ),
      );
      const throttled = events.find((event) => event.event === 'login.throttled');
      assert.ok(throttled, 'the refusal is logged');
      assert.equal(throttled.level, 40, 'as a warning');
      assert.equal(throttled.limit, 'account_source');
      assert.equal(throttled.clientId, 'web');
      assert.equal(throttled.userId, frankId);

      const output = op.server.output();
      assert.doesNotMatch(output, new RegExp(secretGuess));
      assert.doesNotMatch(output, /frank@example\.com|stranger-not-to-be-logged/);
    });
  });
}
