/**
 * The clients, user and redirect URI both servers are set up with, so that every scenario sends
 * the same requests to either. No imports: the peer process loads this too.
 */
export const BENCH = {
  callback: 'http://127.0.0.1:9/callback',
  resource: 'https://api.example.com',
  web: { id: 'bench-web', secret: 'bench-web-secret-with-plenty-of-entropy-0123456789' },
  service: {
    id: 'bench-service',
    secret: 'bench-service-secret-with-plenty-of-entropy-01234',
    scope: 'api.read',
  },
  /** client_credentials with a `private_key_jwt` assertion (ES256) instead of a secret. */
  keyed: { id: 'bench-keyed' },
  /** client_credentials with client_secret_basic and a DPoP proof: DPoP-bound access tokens. */
  dpop: { id: 'bench-dpop', secret: 'bench-dpop-secret-with-plenty-of-entropy-0123456789' },
  user: {
    email: 'bench@example.com',
    password: 'correct horse battery staple',
    name: 'Bench User',
  },
  /** What the code and refresh scenarios are granted: ID token, access token and refresh token. */
  scope: 'openid profile email offline_access',
} as const;

/** client_secret_basic (RFC 6749 2.3.1: form-encoded id and secret). */
export function basicAuth(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

export const webAuth = basicAuth(BENCH.web.id, BENCH.web.secret);
export const serviceAuth = basicAuth(BENCH.service.id, BENCH.service.secret);
export const dpopAuth = basicAuth(BENCH.dpop.id, BENCH.dpop.secret);
