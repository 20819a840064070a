const LOOPBACK_IP = new Set(['127.0.0.1', '[::1]']);

/**
 * Whether a redirect_uri in a request matches one registered for the client: exact string
 * comparison (RFC 6749 3.1.2.3, OIDC Core 3.1.2.1, RFC 9700 2.1), except that a loopback IP
 * redirect of a native app may use any port (RFC 8252 7.3).
 */
export function matchesRegisteredRedirectUri(
  requested: string,
  registered: readonly string[],
): boolean {
  if (registered.includes(requested)) return true;
  let url: URL;
  try {
    url = new URL(requested);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' || !LOOPBACK_IP.has(url.hostname)) return false;
  return registered.some((candidate) => {
    try {
      const reg = new URL(candidate);
      return (
        reg.protocol === 'http:' &&
        reg.hostname === url.hostname &&
        reg.pathname === url.pathname &&
        reg.search === url.search &&
        // The raw string must differ only in the port: compare with the port dropped.
        withoutPort(reg) === withoutPort(url)
      );
    } catch {
      return false;
    }
  });
}

function withoutPort(url: URL): string {
  const copy = new URL(url.href);
  copy.port = '';
  return copy.href;
}
