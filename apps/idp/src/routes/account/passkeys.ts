import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { issueChallenge, acceptChallenge } from '../../passkeys/passkey-challenge.js';
import {
  parseCredential,
  registrationOptions,
  verifyRegistration,
} from '../../passkeys/passkey-ceremony.js';
import { refusePasskeyOptions, sendPasskeyOptions } from '../../passkeys/passkey-options-reply.js';
import { relyingPartyOf } from '../../passkeys/relying-party.js';
import { passkeysSection } from '../../views/account/passkeys-section.js';
import type { SafeHtml } from '../../views/html.js';
import {
  ACCOUNT_LOGIN_PATH,
  ACCOUNT_PATH,
  accountSession,
  checkAccountCsrf,
  isFreshSignIn,
  sameCsrf,
  signInFirst,
  type SignedIn,
} from './account-session.js';

export const PASSKEY_PATHS = {
  options: '/account/passkeys/options',
  add: '/account/passkeys',
  rename: '/account/passkeys/rename',
  remove: '/account/passkeys/remove',
  reauth: { action: ACCOUNT_LOGIN_PATH, fields: { return: ACCOUNT_PATH, reauth: '1' } },
} as const;

/** The notices the passkey routes leave on the account page, by the code in its query. */
export const PASSKEY_NOTICES: Readonly<Record<string, { text: string; problem: boolean }>> = {
  'passkey-added': { text: 'Passkey added.', problem: false },
  'passkey-renamed': { text: 'Passkey renamed.', problem: false },
  'passkey-removed': { text: 'Passkey removed.', problem: false },
  'passkey-failed': {
    text: 'The passkey could not be added. Try again, or use another device.',
    problem: true,
  },
  'passkey-exists': { text: 'That passkey is already registered.', problem: true },
  'passkey-unknown': { text: 'That passkey was not found on your account.', problem: true },
};

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

/** The account page's passkeys section, for the signed-in person. */
export async function renderPasskeysSection(
  app: Pick<FastifyInstance, 'passkeys' | 'clock'>,
  signedIn: SignedIn,
  csrf: string,
): Promise<SafeHtml> {
  return passkeysSection({
    passkeys: await app.passkeys.listForUser(signedIn.user.id),
    csrf,
    canAdd: isFreshSignIn(signedIn.session, app.clock.now()),
    paths: PASSKEY_PATHS,
  });
}

interface PasskeyForm {
  csrf?: string;
  state?: string;
  credential?: string;
  name?: string;
  credential_id?: string;
}

const back = (reply: FastifyReply, notice: string) =>
  reply.redirect(`${ACCOUNT_PATH}?notice=${notice}`, 303);

/**
 * Adding (WebAuthn L3 7.1, after a fresh sign-in), renaming and removing passkeys: forms posted
 * from the account page with its CSRF token, each answered by a redirect back to it.
 */
export async function passkeyAccountRoutes(app: FastifyInstance) {
  const rp = relyingPartyOf(app.config.issuer);

  /** The signed-in person, after the CSRF check; undefined once a reply was sent. */
  const signedInFor = async (
    request: FastifyRequest<{ Body: PasskeyForm }>,
    reply: FastifyReply,
  ): Promise<SignedIn | undefined> => {
    const signedIn = await accountSession(request, app);
    if (!signedIn) {
      void signInFirst(reply, ACCOUNT_PATH);
      return undefined;
    }
    return checkAccountCsrf(request, reply, app, request.body?.csrf) ? signedIn : undefined;
  };

  app.post<{ Body: PasskeyForm }>(PASSKEY_PATHS.options, async (request, reply) => {
    const signedIn = await accountSession(request, app);
    if (!signedIn) return refusePasskeyOptions(reply, 401);
    if (!sameCsrf(request, app, request.body?.csrf)) return refusePasskeyOptions(reply);
    if (!isFreshSignIn(signedIn.session, app.clock.now())) return refusePasskeyOptions(reply);
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
    if (!isFreshSignIn(session, app.clock.now())) return signInFirst(reply, ACCOUNT_PATH, true);
    const form = request.body ?? {};
    const response = parseCredential<RegistrationResponseJSON>(form.credential);
    const challenge = response
      ? await acceptChallenge(app, form.state, 'registration', `session:${session.sessionId}`)
      : undefined;
    if (!response || !challenge) return back(reply, 'passkey-failed');
    const verified = await verifyRegistration(
      rp,
      challenge,
      response,
      user.id,
      passkeyName(form.name, 'Passkey'),
    );
    if (!verified.ok) {
      request.log.info(
        { event: 'passkey.refused', userId: user.id, detail: verified.detail },
        'passkey registration refused',
      );
      return back(reply, 'passkey-failed');
    }
    const added = await app.passkeys.add(verified.passkey, app.clock.now(), { ip: request.ip });
    return back(reply, added ? 'passkey-added' : 'passkey-exists');
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
    return back(reply, renamed ? 'passkey-renamed' : 'passkey-unknown');
  });

  app.post<{ Body: PasskeyForm }>(PASSKEY_PATHS.remove, async (request, reply) => {
    const signedIn = await signedInFor(request, reply);
    if (!signedIn) return reply;
    const form = request.body ?? {};
    const id = typeof form.credential_id === 'string' ? form.credential_id : '';
    const removed =
      id !== '' &&
      (await app.passkeys.remove(signedIn.user.id, id, app.clock.now(), { ip: request.ip }));
    return back(reply, removed ? 'passkey-removed' : 'passkey-unknown');
  });
}
