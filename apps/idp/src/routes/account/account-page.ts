import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { csrfToken } from '../../http/browser-session.js';
import { sendHtml } from '../../http/html-reply.js';
import { pageContext } from '../../http/page-locale.js';
import { messages, type Locale } from '../../i18n/index.js';
import type { AccountActor } from '../../operations/account-operations.js';
import {
  profileValues,
  type EditableClaim,
  type ProfileProblem,
} from '../../operations/profile-form.js';
import { accountPage } from '../../views/account/account-layout.js';
import type { SectionContext } from '../../views/account/account-view.js';
import { appsSection } from '../../views/account/apps-section.js';
import { emailSection, type EmailSectionOptions } from '../../views/account/email-section.js';
import { oneTimeCodesSection } from '../../views/account/one-time-codes-section.js';
import {
  passwordSection,
  type PasswordSectionOptions,
} from '../../views/account/password-section.js';
import { profileSection } from '../../views/account/profile-section.js';
import { sessionsSection } from '../../views/account/sessions-section.js';
import { PASSKEY_PAGE_SCRIPTS } from '../../views/passkey-form.js';
import { passkeyScriptUrls } from '../../passkeys/passkey-assets.js';
import { PASSKEYS_SECTION_ID, renderPasskeysSection } from './passkeys.js';
import { ACCOUNT_PATH, signedInActor, signInHref } from './account-session.js';
import { ONE_TIME_CODES_PATH } from './one-time-codes-paths.js';

type PageDeps = Pick<
  FastifyInstance,
  | 'config'
  | 'clock'
  | 'sessions'
  | 'users'
  | 'consents'
  | 'clients'
  | 'passkeys'
  | 'oneTimeCodes'
  | 'mailer'
>;

/**
 * A fixed text by the code a redirect carries (`done`, or `problem`, shown as an alert), in the
 * reader's language (i18n `account.done` and `account.problems`); unknown codes show nothing.
 */
function outcomeText(locale: Locale, kind: 'done' | 'problems', code: unknown): string | undefined {
  const texts: Readonly<Record<string, string>> = messages(locale).account[kind];
  return typeof code === 'string' && Object.hasOwn(texts, code) ? texts[code] : undefined;
}

/** A form that came back with problems: shown in its section, with the status to send. */
export interface PageState {
  readonly status?: number;
  readonly error?: string;
  readonly profile?: {
    readonly values: Readonly<Record<EditableClaim, string>>;
    readonly problems: Readonly<Partial<Record<EditableClaim, ProfileProblem>>>;
  };
  readonly password?: PasswordSectionOptions['problem'];
  readonly email?: Pick<EmailSectionOptions, 'typed' | 'problem'>;
}

/**
 * Renders the account page for the signed-in person: each section loads what it shows, in page
 * order (= focus order). A section added here (views/account/<name>-section.ts plus its POST
 * routes in routes/account/) appears in the page's contents too.
 */
export async function sendAccountPage(
  request: FastifyRequest,
  reply: FastifyReply,
  app: PageDeps,
  actor: AccountActor,
  state: PageState & { readonly notice?: string | undefined } = {},
): Promise<FastifyReply> {
  const { user, sessionId } = actor;
  const claims = user.claims as Readonly<Record<string, unknown>>;
  const context: SectionContext = {
    locale: request.locale,
    csrf: csrfToken(request, reply, app),
    timeZone: validTimeZone(claims.zoneinfo),
  };
  const now = app.clock.now();
  const [sessions, consents, factor] = await Promise.all([
    app.sessions.listForUser(user.id, now),
    app.consents.listForUser(user.id),
    app.oneTimeCodes.find(user.id, now),
  ]);
  const names = await clientNames(app, [
    ...sessions.flatMap((s) => s.clientIds),
    ...consents.map((c) => c.clientId),
  ]);
  const name = (clientId: string) => names.get(clientId) ?? clientId;
  const current = sessions.find((s) => s.id === sessionId);
  const passkeys = await renderPasskeysSection(app, context, user.id, current?.authTime);
  const sections = [
    profileSection(context, {
      email: user.email,
      values: state.profile?.values ?? profileValues(claims),
      ...(state.profile ? { problems: state.profile.problems } : {}),
    }),
    emailSection(context, {
      email: user.email,
      verified: claims.email_verified === true,
      canMail: app.mailer !== undefined,
      ...state.email,
    }),
    passwordSection(context, { email: user.email, problem: state.password }),
    oneTimeCodesSection(context, {
      on: factor?.confirmed === true,
      settingsPath: ONE_TIME_CODES_PATH,
    }),
    sessionsSection(
      context,
      sessions.map((s) => ({
        id: s.id,
        createdAt: s.createdAt,
        authTime: s.authTime,
        amr: s.amr,
        apps: s.clientIds.map(name),
        current: s.id === sessionId,
      })),
    ),
    appsSection(
      context,
      consents.map((c) => ({ clientId: c.clientId, name: name(c.clientId), scopes: c.scopes })),
    ),
    {
      id: PASSKEYS_SECTION_ID,
      title: messages(request.locale).account.passkeys.title,
      html: passkeys,
    },
  ];
  return sendHtml(
    reply,
    state.status ?? 200,
    accountPage({
      email: user.email,
      notice: state.notice,
      error: state.error,
      sections,
      scripts: PASSKEY_PAGE_SCRIPTS,
      ...pageContext(request),
    }),
    // The passkeys section's ceremonies are same-origin scripts, named in the CSP.
    { scriptUrls: passkeyScriptUrls(app.config.issuer) },
  );
}

/** Display names of registered clients, from the store (never fetched from elsewhere). */
async function clientNames(
  app: Pick<FastifyInstance, 'clients'>,
  clientIds: readonly string[],
): Promise<Map<string, string>> {
  const unique = [...new Set(clientIds)];
  const clients = await Promise.all(unique.map((id) => app.clients.findById(id)));
  return new Map(
    clients.flatMap((client) =>
      client ? [[client.clientId, client.clientName || client.clientId]] : [],
    ),
  );
}

function validTimeZone(zone: unknown): string {
  if (typeof zone !== 'string') return 'UTC';
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone;
  } catch {
    return 'UTC';
  }
}

/** GET /account: the page, or the sign-in page first (and back here after it). */
export async function accountPageRoute(app: FastifyInstance) {
  app.get<{ Querystring: { done?: unknown; problem?: unknown } }>(
    ACCOUNT_PATH,
    async (request, reply) => {
      const actor = await signedInActor(request, app);
      if (!actor) return reply.redirect(signInHref(ACCOUNT_PATH), 303);
      const { done, problem } = request.query;
      // Fixed texts only, looked up by code: never reflected input.
      const notice = outcomeText(request.locale, 'done', done);
      const error = outcomeText(request.locale, 'problems', problem);
      return sendAccountPage(request, reply, app, actor, {
        notice,
        ...(error ? { error } : {}),
      });
    },
  );
}
