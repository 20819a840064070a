import type { ResponseTarget } from './authorization-request.js';

/** How to deliver an authorization response: a redirect URL, or a form to post (form_post). */
export type AuthorizationResponse =
  | { readonly kind: 'redirect'; readonly location: string }
  | {
      readonly kind: 'form_post';
      readonly action: string;
      readonly params: Readonly<Record<string, string>>;
    };

/**
 * Builds the response for a success (`code`) or an error. Every response carries `iss`
 * (RFC 9207 2) and echoes `state` unchanged (RFC 6749 4.1.2). Query mode keeps the redirect
 * URI's own query (RFC 6749 3.1.2).
 */
export function authorizationResponse(
  target: ResponseTarget,
  issuer: string,
  params: Readonly<Record<string, string | undefined>>,
): AuthorizationResponse {
  const all: Record<string, string> = {};
  for (const [name, value] of Object.entries(params)) if (value !== undefined) all[name] = value;
  if (target.state !== undefined) all.state = target.state;
  all.iss = issuer;

  if (target.responseMode === 'form_post')
    return { kind: 'form_post', action: target.redirectUri, params: all };
  const url = new URL(target.redirectUri);
  if (target.responseMode === 'fragment') {
    url.hash = new URLSearchParams(all).toString();
  } else {
    for (const [name, value] of Object.entries(all)) url.searchParams.append(name, value);
  }
  return { kind: 'redirect', location: url.href };
}
