import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '@idp/config';
import { ManualClock } from '@idp/keys/testing';
import { createLogger, startServer, type RunningServer } from '@idp/server';
import { decodeJwt } from 'jose';
import * as oidc from 'openid-client';
import { generate } from 'otplib';
import { TestBrowser, type Page } from '../support/browser.js';
import { providers, scratchDatabase } from '../support/databases.js';
import { isolatedEnvironment, keyEncryptionKey } from '../support/environment.js';
import { isConsentPage, isLoginPage } from '../support/flow.js';
import { freePort } from '../support/free-port.js';
import { idp } from '../support/processes.js';
import { ALICE, CALLBACK, seed, WEB_SECRET } from '../support/provider-fixture.js';

// One-time codes (RFC 6238) as a second factor, recovery codes, and the sign-in policy
// (OIDC Core 3.1.2.1 acr_values, OIDC Registration default_acr_values, our require_mfa), with
// RFC 8176 amr and our acr in the ID token, through openid-client against the real server.

const MFA = 'urn:idp:acr:mfa';
const PWD = 'urn:idp:acr:pwd';
const SECRET = 'mfa-client-secret-with-plenty-of-entropy-0123456789';
const BOB = { email: 'bob@example.com', password: 'bob has a long password' };
const CAROL = { email: 'carol@example.com', password: 'carol has a long password too' };
const DAVE = { email: 'dave@example.com', password: 'dave also has a long password' };

const testSeed = {
  clients: [
    ...seed.clients,
    {
      client_id: 'mfa-app',
      client_name: 'Payroll',
      client_secret: SECRET,
      redirect_uris: [CALLBACK],
      scope: 'openid email',
      first_party: true,
      require_mfa: true,
    },
    {
      client_id: 'acr-app',
      client_name: 'Admin Console',
      client_secret: SECRET,
      redirect_uris: [CALLBACK],
      scope: 'openid email',
      first_party: true,
      default_acr_values: [MFA],
    },
  ],
  users: [...seed.users, { ...CAROL, name: 'Carol' }, { ...DAVE, name: 'Dave' }],
};

/** The `<input>` tag named `name` on a page. */
const inputTag = (page: Page, name: string) =>
  new RegExp(`<input\\b[^>]*name="${name}"[^>]*>`).exec(page.html)?.[0];

const isCodePage = (page: Page) =>
  inputTag(page, 'code') !== undefined && /one-time code/i.test(page.html);

for (const provider of providers) {
  describe(`one-time codes and the sign-in policy on ${provider}`, () => {
    // Time moves only when a test moves it: each TOTP code belongs to a known 30-second step.
    // It starts one second into a step, so moving it by less than 29 s stays in that step.
    const clock = new ManualClock(Math.floor(Date.now() / 30_000) * 30_000 + 1_000);
    let server: RunningServer;
    let drop: () => Promise<void>;
    let issuer: string;
    let env: Record<string, string>;
    const configs = new Map<string, oidc.Configuration>();

    before(async () => {
      const database = await scratchDatabase(provider);
      drop = () => database.drop();
      const port = await freePort();
      issuer = `http://127.0.0.1:${port}`;
      env = await isolatedEnvironment({
        DATABASE_URL: database.url,
        IDP_KEY_ENCRYPTION_KEY: keyEncryptionKey(),
        IDP_ISSUER: issuer,
        PORT: String(port),
        HOST: '127.0.0.1',
      });
      const seedFile = join(tmpdir(), `otp-seed-${randomBytes(6).toString('hex')}.json`);
      await writeFile(seedFile, JSON.stringify(testSeed));
      const imported = await idp(['import', seedFile], env);
      assert.equal(imported.code, 0, imported.stderr);
      server = await startServer(loadConfig(env), { clock, logger: createLogger('silent') });
      for (const [id, secret] of [
        ['web', WEB_SECRET],
        ['mfa-app', SECRET],
        ['acr-app', SECRET],
      ] as const)
        configs.set(
          id,
          await oidc.discovery(new URL(issuer), id, undefined, oidc.ClientSecretBasic(secret), {
            execute: [oidc.allowInsecureRequests],
          }),
        );
    });
    after(async () => {
      await server?.app.close();
      await drop?.();
    });

    /** Starts an authorization request of `clientId`; the first page it shows (or the redirect). */
    async function authorize(
      browser: TestBrowser,
      clientId: string,
      params: Record<string, string> = {},
    ) {
      const config = configs.get(clientId)!;
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: CALLBACK,
        scope: 'openid email',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        nonce,
        ...params,
      });
      const page = await browser.navigate(url.href, CALLBACK);
      return { page, verifier, state, nonce, config };
    }

    /** Allows on the consent page if shown, then redeems the code with openid-client. */
    async function finish(
      browser: TestBrowser,
      started: Awaited<ReturnType<typeof authorize>>,
      page: Page,
    ) {
      let next = page;
      if (isConsentPage(next))
        next = await browser.submit(next, {}, CALLBACK, { name: 'decision', value: 'allow' });
      assert.ok(
        next.redirectedTo,
        `reached the client (${next.status}): ${next.html.slice(0, 400)}`,
      );
      const tokens = await oidc.authorizationCodeGrant(started.config, new URL(next.redirectedTo), {
        pkceCodeVerifier: started.verifier,
        expectedState: started.state,
        expectedNonce: started.nonce,
        idTokenExpected: true,
      });
      return decodeJwt(tokens.id_token!);
    }

    const password = (
      browser: TestBrowser,
      page: Page,
      user: { email: string; password: string },
    ) => {
      assert.ok(isLoginPage(page), `a login page: ${page.html.slice(0, 300)}`);
      return browser.submit(page, { username: user.email, password: user.password }, CALLBACK);
    };

    /** The TOTP code of `secret` for the server's current time (RFC 6238 4.2). */
    const codeNow = (secret: string) => generate({ secret, epoch: Math.floor(clock.now() / 1000) });
    /** Moves to the next 30-second time step, so a fresh code exists. */
    const nextStep = () => clock.advance(30_000);

    /** Enrols `browser`'s signed-in user on /account/one-time-codes: the secret and recovery codes. */
    async function enrol(browser: TestBrowser) {
      const page = await browser.navigate(`${issuer}/account/one-time-codes`, CALLBACK);
      assert.equal(page.status, 200, page.html.slice(0, 400));
      assert.match(page.html, /<img class="qr" src="data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+"/);
      assert.doesNotMatch(page.headers!.get('content-security-policy')!, /unsafe-inline/);
      const secret = /id="secret"><strong>([A-Z2-7 ]+)<\/strong>/
        .exec(page.html)![1]!
        .replace(/ /g, '');
      const wrong = await browser.submit(
        page,
        { code: String((Number(codeNow(secret)) + 1) % 1e6).padStart(6, '0') },
        CALLBACK,
      );
      assert.equal(wrong.status, 400, 'a wrong first code does not turn codes on');
      assert.match(wrong.html, /did not match/);
      const done = await browser.submit(wrong, { code: await codeNow(secret) }, CALLBACK);
      assert.equal(done.status, 200, done.html.slice(0, 400));
      const codes = [...done.html.matchAll(/<li>([a-z2-9]{5}-[a-z2-9]{5})<\/li>/g)].map(
        (m) => m[1]!,
      );
      assert.equal(codes.length, 10, 'ten recovery codes, shown once');
      return { secret, codes };
    }

    let alice: { secret: string; codes: string[] };
    let dave: { secret: string; codes: string[] };

    test('OIDC Discovery: acr_values_supported names both classes', async () => {
      const metadata = configs.get('web')!.serverMetadata();
      assert.deepEqual(metadata.acr_values_supported, [PWD, MFA]);
    });

    test('enrolment, then a step-up by require_mfa on the password session asks only for the code', async () => {
      const browser = new TestBrowser();
      const started = await authorize(browser, 'web');
      const claims = await finish(browser, started, await password(browser, started.page, ALICE));
      assert.deepEqual(claims.amr, ['pwd']);
      assert.equal(claims.acr, PWD);

      alice = await enrol(browser);
      nextStep();
      // The session still has the password only: a client that requires a second factor asks
      // for the code, not the password again.
      const stepUp = await authorize(browser, 'mfa-app');
      assert.ok(isCodePage(stepUp.page), `the code page: ${stepUp.page.html.slice(0, 300)}`);
      assert.ok(!isLoginPage(stepUp.page));
      const code = inputTag(stepUp.page, 'code')!;
      assert.match(code, /autocomplete="one-time-code"/);
      assert.match(code, /inputmode="numeric"/);
      const after = await browser.submit(
        stepUp.page,
        { code: await codeNow(alice.secret) },
        CALLBACK,
      );
      const mfa = await finish(browser, stepUp, after);
      assert.deepEqual(mfa.amr, ['pwd', 'otp', 'mfa']);
      assert.equal(mfa.acr, MFA);
    });

    test('RFC 8176: a password and a code give amr ["pwd","otp","mfa"] and the mfa acr', async () => {
      nextStep();
      const browser = new TestBrowser();
      const started = await authorize(browser, 'web', { prompt: 'consent' });
      const codePage = await password(browser, started.page, ALICE);
      assert.ok(isCodePage(codePage), 'an enrolled user is asked for the code after the password');
      const claims = await finish(
        browser,
        started,
        await browser.submit(codePage, { code: await codeNow(alice.secret) }, CALLBACK),
      );
      assert.deepEqual(claims.amr, ['pwd', 'otp', 'mfa']);
      assert.equal(claims.acr, MFA);
    });

    test('RFC 6238 5.2: a code already used is refused within its window', async () => {
      nextStep();
      const code = await codeNow(alice.secret);
      const first = new TestBrowser();
      const a = await authorize(first, 'mfa-app');
      const accepted = await first.submit(await password(first, a.page, ALICE), { code }, CALLBACK);
      assert.ok(accepted.redirectedTo, 'the first use is accepted');
      const second = new TestBrowser();
      const b = await authorize(second, 'mfa-app');
      const replay = await second.submit(await password(second, b.page, ALICE), { code }, CALLBACK);
      assert.equal(replay.status, 401);
      assert.ok(isCodePage(replay), 'the page asks again');
      assert.match(replay.html, /did not work/);
      clock.advance(10_000);
      assert.equal(await codeNow(alice.secret), code, 'still the same step');
      const again = await second.submit(replay, { code }, CALLBACK);
      assert.equal(again.status, 401, 'still refused later in the same step');
      nextStep();
      const fresh = await second.submit(again, { code: await codeNow(alice.secret) }, CALLBACK);
      const claims = await finish(second, b, fresh);
      assert.deepEqual(claims.amr, ['pwd', 'otp', 'mfa']);
    });

    test('a recovery code signs in once (amr counts it as otp), and not twice', async () => {
      const recovery = alice.codes[0]!;
      const first = new TestBrowser();
      const a = await authorize(first, 'mfa-app');
      const codePage = await password(first, a.page, ALICE);
      // Typed in upper case with spaces: still the same code.
      const used = await first.submit(
        codePage,
        { recovery_code: ` ${recovery.toUpperCase()} ` },
        CALLBACK,
      );
      const claims = await finish(first, a, used);
      assert.deepEqual(claims.amr, ['pwd', 'otp', 'mfa']);

      const second = new TestBrowser();
      const b = await authorize(second, 'mfa-app');
      const refused = await second.submit(
        await password(second, b.page, ALICE),
        { recovery_code: recovery },
        CALLBACK,
      );
      assert.equal(refused.status, 401);
      assert.match(refused.html, /did not work/);
    });

    test('step-up via acr_values on a password session asks only for the code; prompt=none gets interaction_required', async () => {
      const browser = new TestBrowser();
      const started = await authorize(browser, 'web');
      await finish(browser, started, await password(browser, started.page, BOB));
      const bob = await enrol(browser);
      nextStep();

      const silent = await authorize(browser, 'web', { acr_values: MFA, prompt: 'none' });
      assert.ok(silent.page.redirectedTo);
      assert.equal(
        new URL(silent.page.redirectedTo).searchParams.get('error'),
        'interaction_required',
      );

      const stepUp = await authorize(browser, 'web', { acr_values: MFA });
      assert.ok(
        isCodePage(stepUp.page),
        `the code page, not the password: ${stepUp.page.html.slice(0, 300)}`,
      );
      const claims = await finish(
        browser,
        stepUp,
        await browser.submit(stepUp.page, { code: await codeNow(bob.secret) }, CALLBACK),
      );
      assert.deepEqual(claims.amr, ['pwd', 'otp', 'mfa']);
      assert.equal(claims.acr, MFA);
      // A request that also accepts a password is met by the mfa session as it is.
      const plain = await authorize(browser, 'web', { acr_values: `${PWD} ${MFA}` });
      assert.ok(plain.page.redirectedTo, 'no page: the session suffices');
    });

    test('a user without a second factor: a clear page, or unmet_authentication_requirements with prompt=none', async () => {
      const browser = new TestBrowser();
      const started = await authorize(browser, 'mfa-app');
      const page = await password(browser, started.page, CAROL);
      assert.equal(page.status, 403);
      assert.match(page.html, /A second factor is needed/);
      assert.match(page.html, /href="\/account\/one-time-codes"/);
      // The same page in the language the client asked for (OIDC Core 3.1.2.1 ui_locales).
      const german = new TestBrowser();
      const inGerman = await password(
        german,
        (await authorize(german, 'mfa-app', { ui_locales: 'de' })).page,
        CAROL,
      );
      assert.equal(inGerman.status, 403);
      assert.match(inGerman.html, /<html lang="de"/);
      assert.match(inGerman.html, /Ein zweiter Faktor ist nötig/);
      // default_acr_values of the client: the same rule, and silently an error to the client.
      const silent = await authorize(browser, 'acr-app', { prompt: 'none' });
      assert.ok(silent.page.redirectedTo);
      assert.equal(
        new URL(silent.page.redirectedTo).searchParams.get('error'),
        'unmet_authentication_requirements',
      );
      // A request naming the password class overrides the client's default.
      const pwd = await authorize(browser, 'acr-app', { acr_values: PWD });
      const claims = await finish(browser, pwd, pwd.page);
      assert.equal(claims.acr, PWD);
    });

    test('changing one-time codes needs a fresh sign-in with the code once they are on', async () => {
      const browser = new TestBrowser();
      const started = await authorize(browser, 'web');
      await finish(browser, started, await password(browser, started.page, DAVE));
      dave = await enrol(browser);
      // A password-only session (signed in before enrolment) cannot turn them off.
      const status = await browser.navigate(`${issuer}/account/one-time-codes`, CALLBACK);
      assert.match(status.html, /<h1>Confirm it&#39;s you<\/h1>/);
      assert.ok(inputTag(status, 'code'), 'the code is asked for too');
      const none = await new TestBrowser().navigate(`${issuer}/account/one-time-codes`, CALLBACK);
      assert.match(none.html, /<h1>Confirm it&#39;s you<\/h1>/, 'no session: sign in first');
      // Without the form's CSRF token nothing changes.
      const forged = await browser.request(`${issuer}/account/one-time-codes/remove`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'csrf=forged',
      });
      assert.equal(forged.status, 403);
    });

    test('the account sign-in asks a user with codes for one after the password; a password alone opens nothing', async () => {
      // Dave enrolled in the test above. From /account a password could add a passkey or change
      // the password, so a password alone must not start a session there.
      nextStep();
      const browser = new TestBrowser();
      const signIn = await browser.navigate(`${issuer}/account`, CALLBACK);
      assert.ok(isLoginPage(signIn), `the account sign-in page: ${signIn.html.slice(0, 300)}`);
      const codePage = await browser.submit(
        signIn,
        { username: DAVE.email, password: DAVE.password },
        CALLBACK,
      );
      assert.equal(codePage.status, 200);
      assert.ok(isCodePage(codePage), `the code step: ${codePage.html.slice(0, 300)}`);
      assert.match(codePage.html, /action="\/account\/sign-in\/one-time-code"/);
      assert.doesNotMatch(codePage.html, /passkey/i, 'Dave has no passkey to offer');
      const still = await new TestBrowser().navigate(`${issuer}/account`, CALLBACK);
      assert.ok(isLoginPage(still));
      const between = await browser.request(`${issuer}/account`);
      assert.equal(between.status, 303, 'no session after the password alone');
      assert.equal(between.headers.get('location'), '/account/sign-in');

      const wrong = await browser.submit(
        codePage,
        { code: String((Number(await codeNow(dave.secret)) + 1) % 1e6).padStart(6, '0') },
        CALLBACK,
      );
      assert.equal(wrong.status, 401);
      assert.ok(isCodePage(wrong), 'asked again');
      assert.match(wrong.html, /did not work/);
      assert.equal((await browser.request(`${issuer}/account`)).status, 303, 'still signed out');
      const replayed = await browser.submit(
        codePage,
        { code: await codeNow(dave.secret) },
        CALLBACK,
      );
      assert.equal(replayed.status, 400, 'each page of the step is sent once');

      const account = await browser.submit(wrong, { code: await codeNow(dave.secret) }, CALLBACK);
      assert.equal(account.status, 200, account.html.slice(0, 300));
      assert.equal(new URL(account.url).pathname, '/account');
      assert.match(account.html, /password, one-time code, two factors/);

      // A recovery code works there too, once.
      const other = new TestBrowser();
      const second = await other.submit(
        await other.navigate(`${issuer}/account`, CALLBACK),
        { username: DAVE.email, password: DAVE.password },
        CALLBACK,
      );
      const recovered = await other.submit(second, { recovery_code: dave.codes[0]! }, CALLBACK);
      assert.equal(new URL(recovered.url).pathname, '/account', recovered.html.slice(0, 300));
      const third = new TestBrowser();
      const again = await third.submit(
        await third.navigate(`${issuer}/account`, CALLBACK),
        { username: DAVE.email, password: DAVE.password },
        CALLBACK,
      );
      const refused = await third.submit(again, { recovery_code: dave.codes[0]! }, CALLBACK);
      assert.equal(refused.status, 401, 'a used recovery code is refused');
    });

    test('reauth=1 before adding a passkey: password and code make the sign-in fresh again', async () => {
      nextStep();
      const browser = new TestBrowser();
      const first = await browser.submit(
        await browser.navigate(`${issuer}/account`, CALLBACK),
        { username: DAVE.email, password: DAVE.password },
        CALLBACK,
      );
      await browser.submit(first, { code: await codeNow(dave.secret) }, CALLBACK);
      clock.advance(6 * 60_000);
      const stale = await browser.navigate(`${issuer}/account`, CALLBACK);
      assert.match(stale.html, /Sign in again to add a passkey/);
      const reauth = await browser.navigate(`${issuer}/account/sign-in?reauth=1`, CALLBACK);
      assert.ok(isLoginPage(reauth), 'asked even though signed in');
      assert.match(reauth.html, /value="dave@example\.com"/, 'the signed-in address filled in');
      const codePage = await browser.submit(reauth, { password: DAVE.password }, CALLBACK);
      assert.ok(isCodePage(codePage), 'the code is asked for again too');
      const fresh = await browser.submit(codePage, { code: await codeNow(dave.secret) }, CALLBACK);
      assert.equal(new URL(fresh.url).pathname, '/account');
      assert.match(fresh.html, /Add a passkey/);
      assert.doesNotMatch(fresh.html, /Sign in again to add a passkey/);
    });

    test('wrong codes are limited: five lock the factor, the right code included, until users unlock', async () => {
      // A right code first: the count of wrong ones starts again from zero.
      nextStep();
      const warmup = new TestBrowser();
      const w = await authorize(warmup, 'mfa-app');
      const right = await warmup.submit(
        await password(warmup, w.page, ALICE),
        { code: await codeNow(alice.secret) },
        CALLBACK,
      );
      assert.ok(right.redirectedTo);
      nextStep();
      const browser = new TestBrowser();
      const started = await authorize(browser, 'mfa-app');
      let page = await password(browser, started.page, ALICE);
      for (let i = 0; i < 4; i += 1) {
        page = await browser.submit(
          page,
          { code: '000000' === (await codeNow(alice.secret)) ? '111111' : '000000' },
          CALLBACK,
        );
        assert.equal(page.status, 401, `wrong code ${i + 1}`);
      }
      const locked = await browser.submit(
        page,
        { code: '999999' === (await codeNow(alice.secret)) ? '888888' : '999999' },
        CALLBACK,
      );
      assert.equal(locked.status, 429);
      assert.ok(Number(locked.headers!.get('retry-after')) > 0);
      // Even the right code waits out the lock, from another browser too.
      const other = new TestBrowser();
      const b = await authorize(other, 'mfa-app');
      const stillLocked = await other.submit(
        await password(other, b.page, ALICE),
        { code: await codeNow(alice.secret) },
        CALLBACK,
      );
      assert.equal(stillLocked.status, 429);
      // `users unlock` lifts the lock at once (it also forgives the password failures).
      const unlocked = await idp(['users', 'unlock', ALICE.email], env);
      assert.equal(unlocked.code, 0, unlocked.stderr);
      nextStep();
      const c = await authorize(other, 'mfa-app');
      const ok = await other.submit(
        await password(other, c.page, ALICE),
        { code: await codeNow(alice.secret) },
        CALLBACK,
      );
      assert.ok(ok.redirectedTo, `after the unlock the code works: ${ok.status}`);
    });

    test('pnpm idp users reset-factors removes the codes: the password alone signs in again', async () => {
      const reset = await idp(['users', 'reset-factors', ALICE.email], env);
      assert.equal(reset.code, 0, reset.stderr);
      assert.match(reset.stdout, /one-time codes and recovery codes removed/);
      const again = await idp(['users', 'reset-factors', ALICE.email], env);
      assert.match(again.stdout, /nothing removed/);
      const audit = await idp(['audit', 'list', '--type', 'one_time_code.removed', '--json'], env);
      assert.equal(audit.code, 0, audit.stderr);
      const events = JSON.parse(audit.stdout) as { actor: string; data: { reason?: string } }[];
      assert.ok(events.some((e) => e.actor === 'cli' && e.data.reason === 'reset_by_operator'));
      const browser = new TestBrowser();
      const started = await authorize(browser, 'web');
      const claims = await finish(browser, started, await password(browser, started.page, ALICE));
      assert.deepEqual(claims.amr, ['pwd']);
    });

    test('client metadata: default_acr_values and require_mfa through clients add, refused when unknown', async () => {
      const added = await idp(
        [
          'clients',
          'add',
          'policy-app',
          '--redirect-uri',
          CALLBACK,
          '--default-acr-value',
          MFA,
          '--require-mfa',
        ],
        env,
      );
      assert.equal(added.code, 0, added.stderr);
      const listed = await idp(['clients', 'list', '--json'], env);
      const doc = (
        JSON.parse(listed.stdout) as { clients: Record<string, unknown>[] }
      ).clients.find((c) => c.client_id === 'policy-app');
      assert.deepEqual(doc?.default_acr_values, [MFA]);
      assert.equal(doc?.require_mfa, true);
      const bad = await idp(
        ['clients', 'add', 'bad-app', '--redirect-uri', CALLBACK, '--default-acr-value', 'gold'],
        env,
      );
      assert.notEqual(bad.code, 0);
      assert.match(bad.stderr, /acr_values_supported/);
    });
  });
}
