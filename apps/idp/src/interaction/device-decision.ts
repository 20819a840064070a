import { acrFor, type AuthenticatedSession, type AuthorizationRequest, type RegisteredClient } from '@idp/oidc';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendErrorPage, sendHtml } from '../http/html-reply.js';
import type { Services } from '../services.js';
import { messagePage } from '../views/index.js';
import type { DeviceInteraction } from './interaction-state.js';

const NO_LONGER_VALID = ['This code can no longer be used', 'It expired or was already answered. Start again on your device to get a new code.'] as const;

/**
 * The end of a device approval (RFC 8628 3.3): the person allowed the client on the consent
 * page, so the device's next poll gets tokens. The page tells them to go back to the device.
 */
export async function approveDevice(
  http: { request: FastifyRequest; reply: FastifyReply },
  services: Services,
  input: { device: DeviceInteraction; client: RegisteredClient; session: AuthenticatedSession; request: AuthorizationRequest },
): Promise<FastifyReply> {
  const { device, client, session } = input;
  const now = services.clock.now();
  const approval = { userId: session.userId, sessionId: session.sessionId, authTime: session.authTime, amr: session.amr, acr: acrFor(input.request) };
  if (!(await services.deviceAuthorizations.approve(device.deviceCodeHash, approval, now))) {
    return sendErrorPage(http.reply, 400, ...NO_LONGER_VALID);
  }
  await services.audit.record({ type: 'device.approved', userId: session.userId, clientId: client.clientId, ip: http.request.ip, data: { scope: input.request.scopes.join(' ') } }, now);
  return sendHtml(http.reply, 200, messagePage({ title: 'Device connected', message: `You allowed ${client.clientName}. Go back to your device: it continues by itself.` }));
}

/** The person denied the device on the consent page: its next poll hears access_denied. */
export async function denyDevice(
  http: { request: FastifyRequest; reply: FastifyReply },
  services: Services,
  input: { device: DeviceInteraction; client: RegisteredClient; userId: string | undefined },
): Promise<FastifyReply> {
  const now = services.clock.now();
  if (!(await services.deviceAuthorizations.deny(input.device.deviceCodeHash, now))) {
    return sendErrorPage(http.reply, 400, ...NO_LONGER_VALID);
  }
  await services.audit.record({ type: 'device.denied', userId: input.userId, clientId: input.client.clientId, ip: http.request.ip }, now);
  return sendHtml(http.reply, 200, messagePage({ title: 'Device not connected', message: `You denied ${input.client.clientName} access. Nothing was shared with the device.` }));
}
