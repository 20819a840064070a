import { OAuthError, readRawParameters } from '@idp/oidc';

/**
 * A parsed form body as single values, after checking its shape (every value a string).
 * RFC 6749 3.1 / 3.2: request parameters MUST NOT be included more than once, so a repeated
 * one is `invalid_request`.
 */
export function singleValuedForm(body: unknown): Record<string, string | undefined> {
  const params: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(readRawParameters(body))) {
    if (typeof value !== 'string' && value !== undefined)
      throw new OAuthError('invalid_request', `${name} must not be repeated`);
    params[name] = value === '' ? undefined : value;
  }
  return params;
}
