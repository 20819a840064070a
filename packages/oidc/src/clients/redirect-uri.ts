/**
 * Whether a redirect URI may be registered (RFC 6749 3.1.2, OIDC Core 3.1.2.1, RFC 8252 7):
 * absolute, no fragment; https, or http on a loopback host, or a private-use scheme of a native
 * app (`com.example.app:/callback`). Returns the problem in words, or undefined.
 */
export function redirectUriProblem(uri: string): string | undefined {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return 'must be an absolute URL without a fragment';
  }
  if (uri.includes('#')) return 'must be an absolute URL without a fragment';
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:') {
    return ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)
      ? undefined
      : 'must use https (http only for loopback redirects of native apps, RFC 8252 7.3)';
  }
  if (['javascript:', 'data:', 'file:', 'vbscript:'].includes(url.protocol)) {
    return `must not use the ${url.protocol} scheme`;
  }
  // Private-use URI schemes (RFC 8252 7.1) must contain a period, e.g. com.example.app.
  return url.protocol.includes('.')
    ? undefined
    : 'must be https, loopback http, or a reverse-domain private-use scheme';
}
