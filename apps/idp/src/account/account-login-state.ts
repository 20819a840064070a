import { randomId } from '@idp/oidc';
import type { FastifyInstance } from 'fastify';
import { seal, unseal } from '../interaction/interaction-state.js';

/**
 * The sign-in page of the account page (no application involved): where to go back to, the CSRF
 * token it is bound to, and an id that accepting the form consumes, so each page is posted once.
 * Sealed like an interaction, under a kind of its own.
 */
export interface AccountLoginState {
  readonly id: string;
  readonly csrf: string;
  /** A path under /account. */
  readonly returnTo: string;
  readonly expiresAt: number;
}

const KIND = 'idp-account-login';
const TTL_MS = 15 * 60_000;

type StateDeps = Pick<FastifyInstance, 'clock' | 'secrets'>;

/** Only paths of the account page: never an open redirect. */
export function accountReturnPath(value: unknown): string {
  return typeof value === 'string' && /^\/account(?:\/[A-Za-z0-9/_-]*)?$/.test(value)
    ? value
    : '/account';
}

export function sealAccountLogin(app: StateDeps, csrf: string, returnTo: string): Promise<string> {
  const state: AccountLoginState = {
    id: randomId(),
    csrf,
    returnTo,
    expiresAt: app.clock.now() + TTL_MS,
  };
  return seal(KIND, state, app.secrets.interactionKey);
}

export function openAccountLogin(
  app: StateDeps,
  sealed: unknown,
): Promise<AccountLoginState | undefined> {
  if (typeof sealed !== 'string' || sealed === '' || sealed.length > 4096)
    return Promise.resolve(undefined);
  return unseal<AccountLoginState>(KIND, sealed, app.secrets.interactionKey, app.clock.now());
}
