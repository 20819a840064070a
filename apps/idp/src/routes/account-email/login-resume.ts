import type { FastifyInstance } from 'fastify';
import { currentSession } from '../../http/browser-session.js';
import { sendErrorPage } from '../../http/html-reply.js';
import { messages } from '../../i18n/index.js';
import { continueAuthorization } from '../../interaction/authorization-flow.js';
import {
  openLoginResume,
  rememberedLoginResume,
  RESUME_PATH,
} from '../../interaction/login-resume.js';

/**
 * Back to the login page from the password-reset and sign-up pages (interaction/login-resume.ts):
 * the sealed request from the link, or the one this browser kept across the mailbox round trip,
 * continues as /authorize would (a browser signed in meanwhile goes on to consent or the code).
 */
export async function loginResumeRoute(app: FastifyInstance) {
  const { clientCache } = app;
  app.get<{ Querystring: { resume?: unknown } }>(RESUME_PATH, async (request, reply) => {
    const sealed = request.query.resume ?? rememberedLoginResume(request, app);
    const resume = await openLoginResume(app, sealed);
    const client = resume ? await clientCache.findById(resume.request.clientId) : null;
    if (!resume || !client) {
      const t = messages(request.locale).form;
      return sendErrorPage(reply, 400, t.expiredTitle, t.expired);
    }
    return continueAuthorization({ request, reply }, app, {
      request: resume.request,
      client,
      session: await currentSession(request, app),
      afterPost: false,
      device: resume.device,
    });
  });
}
