import type { AuthorizationRequest } from '@idp/oidc';
import type { FastifyInstance, FastifyRequest, FastifyReply } from 'fastify';
import { setSignedCookie, signedCookie } from '../http/browser-session.js';
import type { DeviceInteraction } from './interaction-state.js';
import { seal, unseal } from './interaction-state.js';

/**
 * The way back to the login page from the pages it links to (forgotten password, sign-up): the
 * validated authorization request, sealed like an interaction but of its own kind, so it can
 * only ever show the login page again (never stand in for a submitted login or consent form).
 * It travels in those pages' links, and in a cookie across the round trip through the mailbox.
 */
export interface LoginResume {
  readonly request: AuthorizationRequest;
  readonly device?: DeviceInteraction;
  readonly expiresAt: number;
}

const KIND = 'idp-login-resume';
export const RESUME_PATH = '/login/resume';
const RESUME_COOKIE = 'idp_resume';
/** Long enough to read the mail and choose a password; the request itself is validated again at the client. */
const RESUME_TTL_MS = 60 * 60_000;
/** Browsers keep cookies up to 4096 bytes; a longer state just does not ride in one. */
const MAX_COOKIE_LENGTH = 3500;

type ResumeDeps = Pick<FastifyInstance, 'config' | 'clock' | 'secrets'>;

export function sealLoginResume(
  app: ResumeDeps,
  request: AuthorizationRequest,
  device: DeviceInteraction | undefined,
): Promise<string> {
  const state: LoginResume = {
    request,
    ...(device ? { device } : {}),
    expiresAt: app.clock.now() + RESUME_TTL_MS,
  };
  return seal(KIND, state, app.secrets.interactionKey);
}

export function openLoginResume(
  app: ResumeDeps,
  sealed: unknown,
): Promise<LoginResume | undefined> {
  if (typeof sealed !== 'string' || sealed === '' || sealed.length > 16_384)
    return Promise.resolve(undefined);
  return unseal<LoginResume>(KIND, sealed, app.secrets.interactionKey, app.clock.now());
}

/** A link back to the login page of the sealed request. */
export function resumeHref(sealed: string | undefined): string {
  return sealed ? `${RESUME_PATH}?resume=${encodeURIComponent(sealed)}` : RESUME_PATH;
}

/** Keeps the way back in this browser while the person goes through their mailbox. */
export function rememberLoginResume(reply: FastifyReply, app: ResumeDeps, sealed: string): void {
  if (sealed.length <= MAX_COOKIE_LENGTH)
    setSignedCookie(reply, app, RESUME_COOKIE, sealed, RESUME_TTL_MS / 1000);
}

/** The way back this browser kept, if any. */
export function rememberedLoginResume(
  request: FastifyRequest,
  app: ResumeDeps,
): string | undefined {
  return signedCookie(request, app, RESUME_COOKIE);
}

/** A link back to the sign-in this browser started, if it kept one (else the person goes back to the application). */
export function continueLink(
  request: FastifyRequest,
  app: ResumeDeps,
  text: string,
): { link: { href: string; text: string } } | Record<string, never> {
  const sealed = rememberedLoginResume(request, app);
  return sealed ? { link: { href: resumeHref(sealed), text } } : {};
}
