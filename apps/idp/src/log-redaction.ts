/**
 * Names whose values are credentials or carry them, wherever they appear in a log line: headers,
 * query parameters, form fields and logged object keys. Compared after `normalizeName`, so
 * `ACCESS_TOKEN`, `Id_Token_Hint`, `clientSecret` and `Set-Cookie` all match: names are chosen
 * by whoever sends the request, and RFC 6749 3.1 leaves parameter names' case to servers.
 */
const SECRET_NAMES: ReadonlySet<string> = new Set(
  [
    // HTTP headers
    'authorization',
    'proxy-authorization',
    'cookie',
    'set-cookie',
    'dpop',
    // credentials and tokens (RFC 6749, 6750, 7009, 7521, 7591, 7636, 8628, 8693, OIDC)
    'password',
    'secret',
    'client_secret',
    'code',
    'code_verifier',
    'refresh_token',
    'access_token',
    'id_token',
    'id_token_hint',
    'token',
    'logout_token',
    'assertion',
    'client_assertion',
    'registration_access_token',
    'initial_access_token',
    'device_code',
    'user_code',
    'subject_token',
    'actor_token',
    // our forms' hidden fields: sealed interaction state and the CSRF token
    'interaction',
    'logout',
    'csrf',
    // password reset and sign-up forms: the new password's repetition, the sealed way back to sign-in
    'password_confirmation',
    'resume',
  ].map(normalizeName),
);

/** Case, `_` and `-` do not distinguish names here: `Client-Secret` is `client_secret`. */
function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[_-]/g, '');
}

export function isSecretName(name: string): boolean {
  return SECRET_NAMES.has(normalizeName(name));
}

export const REDACTED = '[Redacted]';

/** The request URL as logged: credential-bearing query values replaced by [Redacted]. */
export function redactUrl(url: string): string {
  const query = url.indexOf('?');
  if (query === -1) return url;
  const params = new URLSearchParams(url.slice(query + 1));
  let changed = false;
  for (const name of new Set(params.keys())) {
    if (isSecretName(name)) {
      params.set(name, REDACTED);
      changed = true;
    }
  }
  return changed ? `${url.slice(0, query)}?${params.toString()}` : url;
}

const JSON_STRING = String.raw`"(?:[^"\\]|\\.)*"`;
// A member of a JSON object whose value is a string or a list of strings (Set-Cookie is one).
const JSON_MEMBER = new RegExp(
  String.raw`"([A-Za-z0-9_-]+)":(${JSON_STRING}|\[(?:${JSON_STRING}(?:,${JSON_STRING})*)?\])`,
  'g',
);

/**
 * A JSON log line with the value of every member named like a secret, at any depth, replaced by
 * "[Redacted]". It runs on the finished line, so it sees every key whatever its case, which
 * pino's path-based redaction (exact, case-sensitive keys) cannot.
 */
export function redactJsonLine(line: string): string {
  return line.replace(JSON_MEMBER, (member, name: string) =>
    isSecretName(name) ? `"${name}":"${REDACTED}"` : member,
  );
}
