import { DatabaseUnavailable } from '@idp/db';
import {
  checkLogoutRequest,
  frontchannelLogoutUrls,
  logoutClientId,
  logoutFinish,
  planLogout,
  readIdTokenHint,
  type IdTokenHint,
  type LogoutFinish,
  type LogoutTarget,
  type EndedSession,
} from '@idp/oidc';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { csrfCookie, csrfToken, currentSession, endSession } from '../../http/browser-session.js';
import { sendErrorPage, sendHtml } from '../../http/html-reply.js';
import { pageContext, useUiLocales } from '../../http/page-locale.js';
import { messages } from '../../i18n/index.js';
import { parameterSchema } from '../../http/parameter-schemas.js';
import { singleValuedForm } from '../../http/single-valued-form.js';
import { seal, unseal } from '../../interaction/interaction-state.js';
import {
  logoutPage,
  messagePage,
  SIGNED_OUT_SCRIPT_HASH,
  signedOutPage,
} from '../../views/index.js';

export const END_SESSION_PATH = '/logout';
const CONFIRM_PATH = '/logout/confirm';
const SEALED_KIND = 'idp-logout';

/** RP-Initiated Logout 1.0 2: the parameters read; none of them (nor any other) may be repeated. */
const LOGOUT_REQUEST = parameterSchema(
  ['id_token_hint', 'client_id', 'post_logout_redirect_uri', 'state', 'ui_locales', 'logout_hint'],
  {
    others: 'single',
  },
);

/** A checked logout request awaiting the person's confirmation, sealed into the confirmation form. */
interface LogoutRequest extends LogoutTarget {
  readonly expiresAt: number;
  /** RP-Initiated Logout 1.0 2 `ui_locales`, for the confirmation's answer page. */
  readonly uiLocales?: readonly string[];
}

/** `ui_locales`, space-separated (OIDC Core 3.1.2.1), as a list. */
function localeList(value: string | undefined): string[] {
  return (value ?? '').split(' ').filter(Boolean);
}

/**
 * RP-Initiated Logout 1.0 (GET and POST). The protocol core checks the request and decides
 * (checkLogoutRequest, planLogout); this route reads the hint, the client and the session, and
 * does what the plan says: cookies, pages, the redirect.
 */
export async function endSessionRoutes(app: FastifyInstance) {
  const { config, clock, keyRing, clientCache, users, audit, secrets, backchannelLogout } = app;
  const finish = async (reply: FastifyReply, how: LogoutFinish) => {
    if (how.kind === 'redirect')
      return reply.header('cache-control', 'no-store').redirect(how.location, 303);
    const t = messages(reply.request.locale).logout;
    return sendHtml(
      reply,
      200,
      messagePage({
        title: t.signedOutTitle,
        message: t.closeWindow,
        ...pageContext(reply.request),
      }),
    );
  };

  /**
   * The end of a logout that ended a session: the clients with a front-channel logout URI are
   * loaded in iframes first (Front-Channel Logout 1.0 3), then the person goes on as planned.
   * Without such clients, as `finish`. (The back channel was started already.)
   */
  const finishEnded = async (
    reply: FastifyReply,
    how: LogoutFinish,
    ended: EndedSession | null,
  ) => {
    const clients =
      ended && ended.clientIds.length > 0
        ? await Promise.all(ended.clientIds.map((id) => clientCache.findById(id)))
        : [];
    const frames = ended ? frontchannelLogoutUrls(ended, clients, config.issuer) : [];
    if (frames.length === 0) return finish(reply, how);
    return sendHtml(
      reply,
      200,
      signedOutPage({
        frames,
        ...(how.kind === 'redirect' ? { continueTo: how.location } : {}),
        ...pageContext(reply.request),
      }),
      { frameSources: frames, scriptHash: SIGNED_OUT_SCRIPT_HASH },
    );
  };

  const handle = async (request: FastifyRequest, reply: FastifyReply, raw: unknown) => {
    let target: LogoutTarget;
    let hint: IdTokenHint | undefined;
    let uiLocales: string[] = [];
    const t = () => messages(request.locale).logout;
    // Refused by the schema: a page, as for any link whose parameters cannot be read.
    if (request.validationError)
      return sendErrorPage(reply, 400, t().notValidTitle, t().unreadable);
    try {
      const params = singleValuedForm(raw);
      uiLocales = localeList(params.ui_locales);
      useUiLocales(request, uiLocales);
      hint = params.id_token_hint
        ? await readIdTokenHint(params.id_token_hint, { verifier: keyRing, issuer: config.issuer })
        : undefined;
      const clientId = logoutClientId(params, hint);
      const client = clientId ? await clientCache.findById(clientId) : null;
      const checked = checkLogoutRequest({ params, hint, client });
      if (!checked.ok) {
        const { problem } = checked;
        const detail = t().detail(problem);
        return sendErrorPage(reply, 400, t().notValidTitle, t().explain(problem), detail);
      }
      target = checked.target;
    } catch (error) {
      // The link may be fine: the database (the client lookup) did not answer; the error handler says so.
      if (error instanceof DatabaseUnavailable) throw error;
      return sendErrorPage(reply, 400, t().notValidTitle, t().unreadable);
    }

    const session = await currentSession(request, app);
    const plan = planLogout({ target, hint, signedInSubject: session?.userId });
    if (plan.kind === 'finish') return finish(reply, plan.finish);
    if (plan.kind === 'end-session') {
      const { revokedFamilies, ended } = await endSession(request, reply, app);
      // Back-Channel Logout 1.0 2.5: every client of the session hears of it, but the person
      // does not wait for them (only for the deliveries to be queued).
      await backchannelLogout.notifyInBackground([ended]);
      await audit.record(
        {
          type: 'logout',
          userId: plan.subject,
          clientId: plan.clientId,
          ip: request.ip,
          data: { revokedFamilies },
        },
        clock.now(),
      );
      return finishEnded(reply, plan.finish, ended);
    }
    const logout: LogoutRequest = {
      ...target,
      expiresAt: clock.now() + 15 * 60_000,
      ...(uiLocales.length > 0 ? { uiLocales } : {}),
    };
    const user = await users.findById(plan.subject);
    const csrf = csrfToken(request, reply, app);
    const sealed = await seal(SEALED_KIND, logout, secrets.interactionKey);
    const csp = logout.postLogoutRedirectUri ? { formActions: [logout.postLogoutRedirectUri] } : {};
    return sendHtml(
      reply,
      200,
      logoutPage({
        userEmail: user?.email ?? '',
        logout: sealed,
        csrf,
        action: CONFIRM_PATH,
        ...pageContext(request),
      }),
      csp,
    );
  };

  app.get(
    END_SESSION_PATH,
    { schema: { querystring: LOGOUT_REQUEST }, attachValidation: true },
    (request, reply) => handle(request, reply, request.query),
  );
  app.post(
    END_SESSION_PATH,
    { schema: { body: LOGOUT_REQUEST }, attachValidation: true },
    (request, reply) => handle(request, reply, request.body),
  );

  app.post<{ Body: { logout?: string; csrf?: string; decision?: string } }>(
    CONFIRM_PATH,
    async (request, reply) => {
      const form = request.body ?? {};
      const logout =
        typeof form.logout === 'string'
          ? await unseal<LogoutRequest>(
              SEALED_KIND,
              form.logout,
              secrets.interactionKey,
              clock.now(),
            )
          : undefined;
      const cookie = csrfCookie(request, app);
      useUiLocales(request, logout?.uiLocales);
      const t = messages(request.locale).logout;
      if (!logout || !cookie || form.csrf !== cookie) {
        return sendErrorPage(reply, 400, t.expiredTitle, t.expired);
      }
      if (form.decision !== 'logout') {
        return sendHtml(
          reply,
          200,
          messagePage({
            title: t.stillSignedInTitle,
            message: t.stillSignedIn,
            ...pageContext(request),
          }),
        );
      }
      const session = await currentSession(request, app);
      const { revokedFamilies, ended } = await endSession(request, reply, app);
      await backchannelLogout.notifyInBackground([ended]);
      if (session)
        await audit.record(
          {
            type: 'logout',
            userId: session.userId,
            ip: request.ip,
            data: { revokedFamilies, confirmed: true },
          },
          clock.now(),
        );
      return finishEnded(reply, logoutFinish(logout), ended);
    },
  );
}
