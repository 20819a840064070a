const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Checks an issuer identifier (OIDC Discovery 3, RFC 8414 2): an https URL with no query or
 * fragment; plain http only on loopback hosts, for development. Returns a problem or undefined.
 */
export function issuerProblem(issuer: string): string | undefined {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    return 'must be an absolute URL such as https://id.example.com';
  }
  if (url.search || url.hash || issuer.includes('?') || issuer.includes('#')) {
    return 'must not have a query or fragment (OIDC Discovery 3)';
  }
  if (url.username || url.password) return 'must not contain credentials';
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return undefined;
  return 'must use https (plain http is allowed only for localhost, 127.0.0.1 and [::1])';
}
