import type { IdTokenHint } from '../tokens/id-token-hint.js';
import type { LogoutTarget } from './logout-request.js';

/** How a logout ends for the person: back to the client, with its state, or a signed-out page. */
export type LogoutFinish =
  { readonly kind: 'redirect'; readonly location: string } | { readonly kind: 'signed-out-page' };

/**
 * What to do with a checked logout request:
 * - `finish`: nobody is signed in, so there is nothing to end;
 * - `end-session`: the hint names the signed-in person, which proves the request comes from
 *   their client: end the browser session (revoking the families born in it) without asking;
 * - `confirm`: anything else could be a forged link, so the person confirms first
 *   (RP-Initiated Logout 1.0, 2, 4), and `finish` follows their answer.
 */
export type LogoutPlan =
  | { readonly kind: 'finish'; readonly finish: LogoutFinish }
  | {
      readonly kind: 'end-session';
      readonly subject: string;
      readonly clientId: string;
      readonly finish: LogoutFinish;
    }
  | { readonly kind: 'confirm'; readonly subject: string };

/** Where the person goes once signed out: the post_logout_redirect_uri with `state` (RP-Initiated Logout 1.0, 3). */
export function logoutFinish(target: LogoutTarget): LogoutFinish {
  if (!target.postLogoutRedirectUri) return { kind: 'signed-out-page' };
  const url = new URL(target.postLogoutRedirectUri);
  if (target.state !== undefined) url.searchParams.set('state', target.state);
  return { kind: 'redirect', location: url.href };
}

/** Decides a checked logout request given who, if anyone, the browser session says is signed in. */
export function planLogout(input: {
  readonly target: LogoutTarget;
  readonly hint: IdTokenHint | undefined;
  /** The signed-in person's subject; undefined when the browser has no live session. */
  readonly signedInSubject: string | undefined;
}): LogoutPlan {
  const { target, hint, signedInSubject } = input;
  if (signedInSubject === undefined) return { kind: 'finish', finish: logoutFinish(target) };
  if (hint?.subject === signedInSubject) {
    return {
      kind: 'end-session',
      subject: signedInSubject,
      clientId: hint.clientId,
      finish: logoutFinish(target),
    };
  }
  return { kind: 'confirm', subject: signedInSubject };
}
