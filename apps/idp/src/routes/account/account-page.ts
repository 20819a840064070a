import type { FastifyInstance } from 'fastify';
import { csrfToken } from '../../http/browser-session.js';
import { sendHtml } from '../../http/html-reply.js';
import { passkeyScriptUrls } from '../../passkeys/passkey-assets.js';
import { accountPage } from '../../views/account/account-page.js';
import { contentSecurityPolicy } from '../../views/index.js';
import type { SafeHtml } from '../../views/html.js';
import { accountLoginRoutes } from './account-login.js';
import { ACCOUNT_PATH, accountSession, signInFirst, type SignedIn } from './account-session.js';
import { PASSKEY_NOTICES, passkeyAccountRoutes, renderPasskeysSection } from './passkeys.js';

/** One section of the account page, rendered for the signed-in person. */
type AccountSection = (app: FastifyInstance, signedIn: SignedIn, csrf: string) => Promise<SafeHtml>;

/** The sections, in page order; each feature adds its own (and its routes below). */
const SECTIONS: readonly AccountSection[] = [renderPasskeysSection];

/** What the `notice` query parameter may name: fixed texts only, never reflected input. */
const NOTICES = { ...PASSKEY_NOTICES };

/**
 * `/account`, the signed-in person's account page: composed of sections, each with the routes
 * its forms post to. Not signed in: the account sign-in page first, then back here.
 */
export async function accountRoutes(app: FastifyInstance) {
  const csp = contentSecurityPolicy({ scriptUrls: passkeyScriptUrls(app.config.issuer) });

  app.get<{ Querystring: { notice?: string } }>(ACCOUNT_PATH, async (request, reply) => {
    const signedIn = await accountSession(request, app);
    if (!signedIn) return signInFirst(reply, ACCOUNT_PATH);
    const csrf = csrfToken(request, reply, app);
    const sections = await Promise.all(SECTIONS.map((section) => section(app, signedIn, csrf)));
    const code = request.query.notice;
    const notice =
      typeof code === 'string' && Object.hasOwn(NOTICES, code) ? NOTICES[code] : undefined;
    return sendHtml(
      reply,
      200,
      accountPage({
        email: signedIn.user.email,
        sections,
        signOutHref: '/logout',
        ...(notice ? { notice } : {}),
      }),
      csp,
    );
  });

  await app.register(accountLoginRoutes);
  await app.register(passkeyAccountRoutes);
}
