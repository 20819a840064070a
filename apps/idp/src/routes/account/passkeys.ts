import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { postSecurityNotice } from '../../email/security-notice.js';
import { issueChallenge, acceptChallenge } from '../../passkeys/passkey-challenge.js';
import {
  parseCredential,
  registrationOptions,
  verifyRegistration,
} from '../../passkeys/passkey-ceremony.js';
import { refusePasskeyOptions, sendPasskeyOptions } from '../../passkeys/passkey-options-reply.js';
import { relyingPartyOf } from '../../passkeys/relying-party.js';
import { messages } from '../../i18n/index.js';
import { passkeysSection } from '../../views/account/passkeys-section.js';
import type { SafeHtml } from '../../views/html.js';
import type { SectionContext } from '../../views/account/account-view.js';
import {
  ACCOUNT_PATH,
  ACCOUNT_SIGN_IN_PATH,
  acceptAccountForm,
  accountSession,
  backToAccount,
  isFreshSignIn,
  sameCsrf,
  signInHref,
} from './account-session.js';

export const PASSKEY_PATHS = {
  options: '/account/passkeys/options',
  add: '/account/passkeys',
  rename: '/account/passkeys/rename',
  remove: '/account/passkeys/remove',
  reauth: { action: ACCOUNT_SIGN_IN_PATH, fields: { reauth: '1' } },
} as const;

/** The id of the account page's passkeys section (its link in the contents, redirects' anchor). */
export const PASSKEYS_SECTION_ID = 'passkeys';

/** What a passkey action did, by the `done` it redirects with (words: i18n `account.done`). */
type PasskeyDone = 'passkey-added' | 'passkey-renamed' | 'passkey-removed';

/** What a passkey action could not do, by the `problem` it redirects with (i18n `account.problems`). */
type PasskeyProblem = 'passkey-failed' | 'passkey-exists' | 'passkey-unknown';

/** Up to 64 printable characters; control characters and surrounding space removed. */
function passkeyName(value: unknown, fallback: string): string {
  const name =
    typeof value === 'string'
      ? value
          .replace(/[\p{Cc}\p{Cf}]/gu, '')
          .trim()
          .slice(0, 64)
      : '';
  return name === '' ? fallback : name;
}

/**
 * The account page's passkeys section. `authTime` is when the current session signed in: adding
 * a passkey wants a fresh sign-in, else the section offers to sign in again.
 */
export async function renderPasskeysSection(
  app: Pick<FastifyInstance, 'passkeys' | 'clock'>,
  context: SectionContext,
  userId: string,
  authTime: number | undefined,
): Promise<SafeHtml> {
  return passkeysSection({
    locale: context.locale,
    passkeys: await app.passkeys.listForUser(userId),
    csrf: context.csrf,
    canAdd: authTime !== undefined && isFreshSignIn(authTime, app.clock.now()),
    paths: PASSKEY_PATHS,
    id: PASSKEYS_SECTION_ID,
  });
}

interface PasskeyForm {
  csrf?: string;
  state?: string;
  credential?: string;
  name?: string;
  credential_id?: string;
}

const done = (reply: FastifyReply, code: PasskeyDone) =>
  backToAccount(reply, code, PASSKEYS_SECTION_ID);
const problem = (reply: FastifyReply, code: PasskeyProblem) =>
  reply.redirect(`${ACCOUNT_PATH}?problem=${code}#${PASSKEYS_SECTION_ID}`, 303);

/**
 * Adding (WebAuthn L3 7.1, after a fresh sign-in), renaming and removing passkeys: forms posted
 * from the account page with its CSRF token, each answered by a redirect back to it. A removal
 * is told to the account's address (a security notice).
 */
export async function passkeyAccountRoutes(app: FastifyInstance) {
  const rp = relyingPartyOf(app.config.issuer);

  /** The signed-in person and session, after the CSRF check; undefined once a reply was sent. */
  const signedInFor = async (
    request: FastifyRequest<{ Body: PasskeyForm }>,
    reply: FastifyReply,
  ) =>
    (await acceptAccountForm(request, reply, app, request.body ?? {}))
      ? accountSession(request, app)
      : undefined;

  app.post<{ Body: PasskeyForm }>(PASSKEY_PATHS.options, async (request, reply) => {
    const signedIn = await accountSession(request, app);
    if (!signedIn) return refusePasskeyOptions(reply, 401);
    if (!sameCsrf(request, app, request.body?.csrf)) return refusePasskeyOptions(reply);
    if (!isFreshSignIn(signedIn.session.authTime, app.clock.now()))
      return refusePasskeyOptions(reply);
    const { challenge, sealed } = await issueChallenge(
      app,
      'registration',
      `session:${signedIn.session.sessionId}`,
    );
    const existing = await app.passkeys.listForUser(signedIn.user.id);
    return sendPasskeyOptions(
      reply,
      await registrationOptions(rp, challenge, signedIn.user, existing),
      sealed,
    );
  });

  app.post<{ Body: PasskeyForm }>(PASSKEY_PATHS.add, async (request, reply) => {
    const signedIn = await signedInFor(request, reply);
    if (!signedIn) return reply;
    const { session, user } = signedIn;
    // A stale sign-in goes through sign-in again; the ceremony is then started anew.
    if (!isFreshSignIn(session.authTime, app.clock.now()))
      return reply.redirect(signInHref(ACCOUNT_PATH, true), 303);
    const form = request.body ?? {};
    const response = parseCredential<RegistrationResponseJSON>(form.credential);
    const challenge = response
      ? await acceptChallenge(app, form.state, 'registration', `session:${session.sessionId}`)
      : undefined;
    if (!response || !challenge) return problem(reply, 'passkey-failed');
    const verified = await verifyRegistration(
      rp,
      challenge,
      response,
      user.id,
      passkeyName(form.name, messages(request.locale).account.passkeys.defaultName),
    );
    if (!verified.ok) {
      request.log.info(
        { event: 'passkey.refused', userId: user.id, detail: verified.detail },
        'passkey registration refused',
      );
      return problem(reply, 'passkey-failed');
    }
    const added = await app.passkeys.add(verified.passkey, app.clock.now(), { ip: request.ip });
    // Adding a passkey is how a taken-over session would keep a way in: the owner hears of it.
    if (added) postSecurityNotice(app, 'passkeyAdded', { user, locale: request.locale });
    return added ? done(reply, 'passkey-added') : problem(reply, 'passkey-exists');
  });

  app.post<{ Body: PasskeyForm }>(PASSKEY_PATHS.rename, async (request, reply) => {
    const signedIn = await signedInFor(request, reply);
    if (!signedIn) return reply;
    const form = request.body ?? {};
    const id = typeof form.credential_id === 'string' ? form.credential_id : '';
    const current = id ? await app.passkeys.find(id) : null;
    const renamed =
      current !== null &&
      (await app.passkeys.rename(
        signedIn.user.id,
        id,
        passkeyName(form.name, current.name),
        app.clock.now(),
        { ip: request.ip },
      ));
    return renamed ? done(reply, 'passkey-renamed') : problem(reply, 'passkey-unknown');
  });

  app.post<{ Body: PasskeyForm }>(PASSKEY_PATHS.remove, async (request, reply) => {
    const signedIn = await signedInFor(request, reply);
    if (!signedIn) return reply;
    const form = request.body ?? {};
    const id = typeof form.credential_id === 'string' ? form.credential_id : '';
    const removed =
      id !== '' &&
      (await app.passkeys.remove(signedIn.user.id, id, app.clock.now(), { ip: request.ip }));
    if (removed)
      postSecurityNotice(app, 'passkeyRemoved', { user: signedIn.user, locale: request.locale });
    return removed ? done(reply, 'passkey-removed') : problem(reply, 'passkey-unknown');
  });
}
