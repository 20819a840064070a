import {
  acrFor,
  wantsLogoutNotice,
  type AuthenticatedSession,
  type AuthorizationRequest,
  type RegisteredClient,
} from '@idp/oidc';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendErrorPage, sendHtml } from '../http/html-reply.js';
import { messagePage } from '../views/index.js';
import { pageContext } from '../http/page-locale.js';
import { messages } from '../i18n/index.js';
import type { DeviceInteraction } from './interaction-state.js';

/** What a device decision reads from the instance. */
type DeviceDecisionDeps = Pick<
  FastifyInstance,
  'clock' | 'deviceAuthorizations' | 'audit' | 'sessions'
>;

/** The device's code expired or was answered meanwhile (another tab, the device gave up). */
function sendNoLongerValid(reply: FastifyReply): FastifyReply {
  const t = messages(reply.request.locale).device;
  return sendErrorPage(reply, 400, t.noLongerValidTitle, t.noLongerValid);
}

/**
 * The end of a device approval (RFC 8628 3.3): the person allowed the client on the consent
 * page, so the device's next poll gets tokens. The page tells them to go back to the device.
 */
export async function approveDevice(
  http: { request: FastifyRequest; reply: FastifyReply },
  app: DeviceDecisionDeps,
  input: {
    device: DeviceInteraction;
    client: RegisteredClient;
    session: AuthenticatedSession;
    request: AuthorizationRequest;
  },
): Promise<FastifyReply> {
  const { device, client, session } = input;
  const now = app.clock.now();
  const approval = {
    userId: session.userId,
    sessionId: session.sessionId,
    authTime: session.authTime,
    amr: session.amr,
    acr: acrFor(session),
  };
  if (!(await app.deviceAuthorizations.approve(device.deviceCodeHash, approval, now))) {
    return sendNoLongerValid(http.reply);
  }
  // The device's tokens are born in this browser session (their ID token carries its sid) and
  // end with it: a client with a logout URI hears of that end as a browser client would.
  if (wantsLogoutNotice(client))
    await app.sessions.addClient(session.sessionId, client.clientId, now);
  await app.audit.record(
    {
      type: 'device.approved',
      userId: session.userId,
      clientId: client.clientId,
      ip: http.request.ip,
      data: { scope: input.request.scopes.join(' ') },
    },
    now,
  );
  return sendHtml(
    http.reply,
    200,
    messagePage({
      title: messages(http.request.locale).device.connectedTitle,
      message: messages(http.request.locale).device.connected(client.clientName),
      ...pageContext(http.request),
    }),
  );
}

/** The person denied the device on the consent page: its next poll hears access_denied. */
export async function denyDevice(
  http: { request: FastifyRequest; reply: FastifyReply },
  app: DeviceDecisionDeps,
  input: { device: DeviceInteraction; client: RegisteredClient; userId: string | undefined },
): Promise<FastifyReply> {
  const now = app.clock.now();
  if (!(await app.deviceAuthorizations.deny(input.device.deviceCodeHash, now))) {
    return sendNoLongerValid(http.reply);
  }
  await app.audit.record(
    {
      type: 'device.denied',
      userId: input.userId,
      clientId: input.client.clientId,
      ip: http.request.ip,
    },
    now,
  );
  return sendHtml(
    http.reply,
    200,
    messagePage({
      title: messages(http.request.locale).device.deniedTitle,
      message: messages(http.request.locale).device.denied(input.client.clientName),
      ...pageContext(http.request),
    }),
  );
}
