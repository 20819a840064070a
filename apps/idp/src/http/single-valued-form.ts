import { OAuthError } from '@idp/oidc';

/**
 * A parsed form body as single values. RFC 6749 3.1 / 3.2: request parameters MUST NOT be
 * included more than once, so a repeated one is `invalid_request`.
 */
export function singleValuedForm(body: unknown): Record<string, string | undefined> {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object') throw new OAuthError('invalid_request', 'the request body must be a form');
  const params: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    if (Array.isArray(value)) throw new OAuthError('invalid_request', `${name} must not be repeated`);
    params[name] = typeof value === 'string' && value !== '' ? value : undefined;
  }
  return params;
}
