import { isIP } from 'node:net';
import { z } from 'zod';
import { parseDurationSeconds } from './duration.js';

/** One setting: its environment variable, what it means, its default as text, and its parser. */
export interface Setting<T> {
  readonly variable: string;
  readonly description: string;
  /** Shown in docs; `undefined` means "not set" (the setting is optional). */
  readonly defaultText: string | undefined;
  readonly schema: z.ZodType<T>;
}

function setting<T>(
  variable: string,
  description: string,
  defaultText: string | undefined,
  schema: z.ZodType<T>,
): Setting<T> {
  return { variable, description, defaultText, schema };
}

const DURATION_HINT = 'a duration such as 30s, 10m, 1h or 14d';

/** A duration setting in whole seconds, bounded to what makes sense for it. */
function duration(min: number, max: number, fallback: string) {
  return z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      const seconds = parseDurationSeconds(text);
      if (seconds === undefined) {
        ctx.addIssue({ code: 'custom', message: `must be ${DURATION_HINT}` });
        return z.NEVER;
      }
      if (seconds < min || seconds > max) {
        ctx.addIssue({ code: 'custom', message: `must be between ${min}s and ${max}s` });
        return z.NEVER;
      }
      return seconds;
    });
}

/** A duration that may also be `off` (returns 0). */
function optionalDuration(min: number, max: number, fallback = 'off') {
  return z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      if (text.trim() === 'off' || text.trim() === '0') return 0;
      const seconds = parseDurationSeconds(text);
      if (seconds === undefined || seconds < min || seconds > max) {
        ctx.addIssue({
          code: 'custom',
          message: `must be off or ${DURATION_HINT}, between ${min}s and ${max}s`,
        });
        return z.NEVER;
      }
      return seconds;
    });
}

function integer(min: number, max: number, fallback: number) {
  return z
    .string()
    .default(String(fallback))
    .transform((text, ctx) => {
      const value = /^\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
      if (!Number.isSafeInteger(value) || value < min || value > max) {
        ctx.addIssue({ code: 'custom', message: `must be a whole number from ${min} to ${max}` });
        return z.NEVER;
      }
      return value;
    });
}

/** `true` or `false`. */
function flag(fallback: boolean) {
  return z
    .string()
    .trim()
    .default(String(fallback))
    .transform((text, ctx) => {
      if (text === 'true' || text === 'false') return text === 'true';
      ctx.addIssue({ code: 'custom', message: 'must be true or false' });
      return z.NEVER;
    });
}

/** What is wrong with a setting's value, as `optional`'s parsers report it. */
class Problem {
  constructor(readonly message: string) {}
}

/** A setting without a default: unset or empty is undefined, anything else must pass `parse`. */
function optional<T>(parse: (text: string) => T | Problem) {
  return z
    .string()
    .trim()
    .optional()
    .transform((text, ctx) => {
      if (text === undefined || text === '') return undefined;
      const value = parse(text);
      if (value instanceof Problem) {
        ctx.addIssue({ code: 'custom', message: value.message });
        return z.NEVER;
      }
      return value;
    });
}

function oneOf<const T extends readonly [string, ...string[]]>(values: T, fallback: T[number]) {
  return z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      const value = text.trim();
      if (!(values as readonly string[]).includes(value)) {
        ctx.addIssue({ code: 'custom', message: `must be one of ${values.join(', ')}` });
        return z.NEVER;
      }
      return value as T[number];
    });
}

/** Grant types a client may be registered for (RFC 7591 2; RFC 8628; RFC 8693). */
const GRANT_TYPES = [
  'authorization_code',
  'refresh_token',
  'client_credentials',
  'urn:ietf:params:oauth:grant-type:device_code',
  'urn:ietf:params:oauth:grant-type:token-exchange',
] as const;
type GrantTypeName = (typeof GRANT_TYPES)[number];

/** A comma-separated list of grant types, each once; empty allows none. */
function grantTypeList(fallback: string) {
  return z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      const entries = [
        ...new Set(
          text
            .split(',')
            .map((entry) => entry.trim())
            .filter((entry) => entry !== ''),
        ),
      ];
      const unknown = entries.filter(
        (entry) => !(GRANT_TYPES as readonly string[]).includes(entry),
      );
      if (unknown.length > 0) {
        ctx.addIssue({
          code: 'custom',
          message: `unknown grant type ${unknown.join(', ')}; use comma-separated values among ${GRANT_TYPES.join(', ')}`,
        });
        return z.NEVER;
      }
      return entries as readonly GrantTypeName[];
    });
}

/**
 * Comma-separated resource URLs (RFC 8707 2: absolute, no fragment), kept as written: an entry
 * matches a resource exactly, or as a prefix when it ends in `/` (so `https://a.example` can never
 * admit `https://a.example.evil.test`; the matching is `@idp/oidc`'s `resourceWithinPolicy`).
 * Unset is null (no list: not limited), and `none` the empty list.
 */
function resourceList() {
  return z
    .string()
    .optional()
    .transform((text, ctx): readonly string[] | null => {
      if (text === undefined || text.trim() === '') return null;
      if (text.trim().toLowerCase() === 'none') return [];
      const entries = text
        .split(',')
        .map((entry) => entry.trim())
        .filter((entry) => entry !== '');
      const resources: string[] = [];
      for (const entry of entries) {
        let url: URL | undefined;
        try {
          url = new URL(entry);
        } catch {
          url = undefined;
        }
        if (
          !url ||
          (url.protocol !== 'https:' && url.protocol !== 'http:') ||
          entry.includes('#') ||
          url.username !== '' ||
          url.password !== ''
        ) {
          ctx.addIssue({
            code: 'custom',
            message: `must be comma-separated absolute http(s) URLs without fragment or credentials (got ${JSON.stringify(entry)})`,
          });
          return z.NEVER;
        }
        resources.push(entry);
      }
      return [...new Set(resources)] as readonly string[];
    });
}

/** JWS algorithms the server can sign with (RFC 7518 3.1, RFC 8037 3.1); keys: `@idp/keys`. */
const SIGNING_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'] as const;
type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];

/** A comma-separated, non-empty list of signing algorithms, each once, in the case JOSE spells them. */
function algorithmList(fallback: string) {
  return z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      const entries = text
        .split(',')
        .map((entry) => entry.trim())
        .filter((entry) => entry !== '');
      const unknown = entries.filter(
        (entry) => !(SIGNING_ALGORITHMS as readonly string[]).includes(entry),
      );
      if (entries.length === 0 || unknown.length > 0) {
        ctx.addIssue({
          code: 'custom',
          message: `must be a comma-separated list of ${SIGNING_ALGORITHMS.join(', ')}${unknown.length > 0 ? ` (not one: ${unknown.map((u) => JSON.stringify(u)).join(', ')})` : ''}`,
        });
        return z.NEVER;
      }
      return [...new Set(entries)] as SigningAlgorithm[];
    });
}

/** Names proxy-addr (Fastify's trustProxy) accepts for ranges of addresses. */
const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** One entry of a proxy list: an address, an address/prefix, or a range name. */
function isProxyAddress(entry: string): boolean {
  if (PROXY_RANGE_NAMES.has(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * `false` (or 0), a hop count, or a list of proxy addresses. `true` is refused: trusting every
 * hop lets any client put its own choice of address first in `X-Forwarded-For`, and with it
 * pass the per-address login limit and forge the addresses in the audit trail.
 */
function parseTrustProxy(text: string): false | number | string[] | Problem {
  if (text === 'false' || text === '0') return false;
  if (text === 'true') {
    return new Problem(
      'true would trust X-Forwarded-For from any client, letting it choose its own address; set the number of proxies in front of the server (e.g. 1) or their addresses/CIDRs (e.g. 10.0.0.0/8)',
    );
  }
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    return hops <= 100 ? hops : new Problem('must be a number of proxies from 0 to 100');
  }
  const entries = text.split(',').map((entry) => entry.trim());
  const bad = entries.filter((entry) => !isProxyAddress(entry));
  if (bad.length > 0) {
    return new Problem(
      `must be false, a number of proxies, or comma-separated IP addresses or CIDRs of the proxies (not an address: ${bad.map((entry) => JSON.stringify(entry)).join(', ')})`,
    );
  }
  return entries;
}

const DAY = 86_400;

/**
 * Every setting of the server, keyed by the name the rest of the code uses. This table is the
 * single source for validation, defaults and the README's configuration table.
 */
export const settings = {
  port: setting('PORT', 'TCP port the server listens on.', '3000', integer(0, 65_535, 3000)),
  host: setting(
    'HOST',
    'Address to bind. `localhost` binds every loopback address; `0.0.0.0` or `::` to serve a network.',
    'localhost',
    z.string().trim().min(1, 'must not be empty').default('localhost'),
  ),
  issuer: setting(
    'IDP_ISSUER',
    'Issuer identifier: the public https URL of this server, exactly as clients see it (no query, no fragment).',
    'http://localhost:$PORT',
    z.string().trim().optional(),
  ),
  databaseUrl: setting(
    'DATABASE_URL',
    'Database: `file:<path>` for SQLite (relative to the working directory) or `postgresql://...`.',
    'file:./data/idp.db',
    z
      .string()
      .trim()
      .default('file:./data/idp.db')
      .refine((url) => /^(file:.+|postgres(ql)?:\/\/.+)$/.test(url), {
        message: 'must be file:<path> (SQLite) or postgresql://user@host:port/database',
      }),
  ),
  workers: setting(
    'IDP_WORKERS',
    'Server processes sharing the port (node:cluster), e.g. the number of CPU cores. Login throttling counters are per process unless IDP_REDIS_URL is set.',
    '1',
    integer(1, 64, 1),
  ),
  threadpoolSize: setting(
    'UV_THREADPOOL_SIZE',
    "Threads per server process for RSA signing, argon2 hashing and file I/O (Node's libuv threadpool, read when the process starts). Unset: Node's 4 with one process; with IDP_WORKERS > 1, the CPU cores this process may use divided among the workers, at least 2.",
    undefined,
    optional((text) => {
      const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
      return Number.isSafeInteger(value) && value >= 1 && value <= 1024
        ? value
        : new Problem('must be a whole number from 1 to 1024');
    }),
  ),
  databasePoolSize: setting(
    'IDP_DATABASE_POOL_SIZE',
    'PostgreSQL connections per instance.',
    '10',
    integer(1, 200, 10),
  ),
  databaseTimeout: setting(
    'IDP_DATABASE_TIMEOUT',
    "Longest wait for the database in one call: for a pooled connection, for a statement, for a transaction to commit (SQLite: for another writer's lock). A call that takes longer is abandoned and rolled back, and the request is answered `503 temporarily_unavailable` with `Retry-After`. Keep it below your clients' own timeouts.",
    '5s',
    duration(1, 60, '5s'),
  ),
  logLevel: setting(
    'LOG_LEVEL',
    'pino log level.',
    'info',
    oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
  ),
  metricsPort: setting(
    'IDP_METRICS_PORT',
    'Port of a separate listener serving Prometheus metrics at `/metrics`, bound to `HOST` like the server (never on `PORT`). Unset: no metrics are collected or served. With IDP_WORKERS > 1 the primary process serves them, aggregated over its workers.',
    undefined,
    optional((text) => {
      const port = /^\d+$/.test(text) ? Number(text) : Number.NaN;
      return Number.isSafeInteger(port) && port >= 1 && port <= 65_535
        ? port
        : new Problem('must be a whole number from 1 to 65535');
    }),
  ),
  otlpTracesUrl: setting(
    'IDP_OTLP_TRACES_URL',
    "OpenTelemetry traces: the OTLP/HTTP (JSON) endpoint spans are sent to, e.g. `http://127.0.0.1:4318/v1/traces`. One span per request, named by its route, with a child span per database call and per JWT signed; no URL, token or secret in any. Unset: OpenTelemetry's `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, or `OTEL_EXPORTER_OTLP_ENDPOINT` plus `/v1/traces`, if set; else no tracing.",
    undefined,
    optional((text) => {
      try {
        const url = new URL(text);
        return url.protocol === 'http:' || url.protocol === 'https:'
          ? url.href
          : new Problem('must be an http or https URL');
      } catch {
        return new Problem('must be an http or https URL');
      }
    }),
  ),
  keyEncryptionKey: setting(
    'IDP_KEY_ENCRYPTION_KEY',
    'Key-encryption key for signing keys at rest: 32 random bytes as base64 or 64 hex digits. When unset, the key file `<IDP_KEYS_DIR>/kek` is used; it is generated only while the database holds no signing key.',
    undefined,
    optional((text) => {
      const bytes = /^[0-9a-fA-F]{64}$/.test(text)
        ? Buffer.from(text, 'hex')
        : /^[A-Za-z0-9+/_-]{43}=?$/.test(text)
          ? Buffer.from(text, 'base64url')
          : undefined;
      return bytes?.length === 32
        ? bytes
        : new Problem(
            'must be 32 bytes as base64 (43-44 characters) or 64 hex digits; generate one with `openssl rand -base64 32`',
          );
    }),
  ),
  keysDir: setting(
    'IDP_KEYS_DIR',
    'Folder of the generated key-encryption key `kek` (used only when `IDP_KEY_ENCRYPTION_KEY` is unset), relative to the working directory.',
    './keys',
    z.string().trim().min(1, 'must not be empty').default('./keys'),
  ),
  signingKeySize: setting(
    'IDP_SIGNING_KEY_SIZE',
    'RSA modulus length in bits for new RS256 and PS256 signing keys.',
    '2048',
    oneOf(['2048', '3072', '4096'] as const, '2048').transform(Number),
  ),
  signingAlgorithms: setting(
    'IDP_SIGNING_ALGORITHMS',
    "Comma-separated JWS algorithms the server keeps signing keys for, each with its own rotation: `RS256`, `PS256`, `ES256` (P-256), `EdDSA` (Ed25519). Discovery's `id_token_signing_alg_values_supported` lists exactly these, and clients may ask for any of them as `id_token_signed_response_alg`.",
    'RS256',
    algorithmList('RS256'),
  ),
  tokenSigningAlg: setting(
    'IDP_TOKEN_SIGNING_ALG',
    "Algorithm of access and refresh tokens (ID tokens follow each client's `id_token_signed_response_alg`, RS256 by default). Must be one of `IDP_SIGNING_ALGORITHMS`.",
    'RS256',
    oneOf(SIGNING_ALGORITHMS, 'RS256'),
  ),
  jwksMaxAge: setting(
    'IDP_JWKS_MAX_AGE',
    'How long resource servers may cache the JWKS (`Cache-Control: max-age`). A new key is published at least this long before it signs.',
    '10m',
    duration(0, DAY, '10m'),
  ),
  keyRotationInterval: setting(
    'IDP_KEY_ROTATION_INTERVAL',
    'Automatic rotation: a new key is created this long after the current one activated. `off` disables it.',
    'off',
    optionalDuration(3600, 3650 * DAY),
  ),
  keyRefreshInterval: setting(
    'IDP_KEY_REFRESH_INTERVAL',
    'How often each instance re-reads the signing keys from the database (picks up rotations made elsewhere). The JWKS, `/token`, `/userinfo` and introspection also re-read them before answering (at most ten times a second), so a rotation or revocation reaches their next request.',
    '5s',
    duration(1, 3600, '5s'),
  ),
  accessTokenTtl: setting(
    'IDP_ACCESS_TOKEN_TTL',
    'Access token lifetime.',
    '10m',
    duration(60, DAY, '10m'),
  ),
  idTokenTtl: setting('IDP_ID_TOKEN_TTL', 'ID token lifetime.', '1h', duration(60, DAY, '1h')),
  authorizationCodeTtl: setting(
    'IDP_AUTHORIZATION_CODE_TTL',
    'Authorization code lifetime (at most 60s).',
    '60s',
    duration(5, 60, '60s'),
  ),
  parLifetime: setting(
    'IDP_PAR_LIFETIME',
    'How long a `request_uri` from the pushed authorization request endpoint (`/par`, RFC 9126) may be used at `/authorize` (at most 600s).',
    '60s',
    duration(5, 600, '60s'),
  ),
  requirePushedAuthorizationRequests: setting(
    'IDP_REQUIRE_PUSHED_AUTHORIZATION_REQUESTS',
    '`true`: every client must push its authorization requests to `/par` first (RFC 9126 5), as if each were registered with `require_pushed_authorization_requests`.',
    'false',
    flag(false),
  ),
  securityProfile: setting(
    'IDP_SECURITY_PROFILE',
    "Default `security_profile` of clients that register none: `fapi2` puts them under the FAPI 2.0 Security Profile (PAR, `private_key_jwt`, DPoP-bound tokens, PS256/ES256/EdDSA only, PKCE, no refresh token rotation); a client's own `security_profile` (`fapi2` or `none`) wins.",
    'none',
    oneOf(['none', 'fapi2'] as const, 'none'),
  ),
  dpopNonce: setting(
    'IDP_DPOP_NONCE',
    "`true`: DPoP proofs must carry a nonce from this server (RFC 9449 8, 9): a proof without one is answered `use_dpop_nonce` with a fresh `DPoP-Nonce` header. Nonces are derived from the key-encryption key and a 5-minute window, so every instance accepts every other's.",
    'false',
    flag(false),
  ),
  refreshTokenIdleTtl: setting(
    'IDP_REFRESH_TOKEN_IDLE_TTL',
    'A refresh token expires when unused this long.',
    '14d',
    duration(60, 365 * DAY, '14d'),
  ),
  refreshTokenAbsoluteTtl: setting(
    'IDP_REFRESH_TOKEN_ABSOLUTE_TTL',
    'A token family ends this long after the login that started it, however often it is refreshed.',
    '30d',
    duration(60, 365 * DAY, '30d'),
  ),
  refreshTokenReuseGrace: setting(
    'IDP_REFRESH_TOKEN_REUSE_GRACE',
    'How long a just-rotated refresh token may be presented again without revoking its family (0 to 60s).',
    '0s',
    duration(0, 60, '0s'),
  ),
  sessionTtl: setting(
    'IDP_SESSION_TTL',
    'Browser session (single sign-on) lifetime.',
    '12h',
    duration(60, 90 * DAY, '12h'),
  ),
  redisUrl: setting(
    'IDP_REDIS_URL',
    'Redis shared by every instance (`redis://host:6379`) for login throttling counters and for short-lived single-use state: the `jti`s of client assertions and DPoP proofs and the pushed authorization requests (in the database when unset). While Redis is unreachable each process counts logins on its own, requests that need a single-use check are refused with `503 temporarily_unavailable` (never accepted unchecked), a warning is logged, and /readyz reports `"redis": "down"`.',
    undefined,
    optional((text) =>
      /^rediss?:\/\/.+/.test(text)
        ? text
        : new Problem('must be redis://host:port or rediss://host:port'),
    ),
  ),
  loginRateLimitPerIp: setting(
    'IDP_LOGIN_RATE_LIMIT_PER_IP',
    'Failed sign-ins allowed per client IP per minute. Past it, that address gets a 429 page for accounts it has never signed in to; successful sign-ins are not counted. Malformed login posts are counted apart against the same number and logged.',
    '60',
    integer(1, 100_000, 60),
  ),
  loginFailuresPerAccount: setting(
    'IDP_LOGIN_FAILURES_PER_ACCOUNT',
    'Failed sign-ins allowed for one account from one source (an address, or a browser that signed in to it before) within IDP_LOGIN_FAILURE_WINDOW; that source then gets a 429 page for that account until the window ends. The same number of failures from all sources together slows sources that never signed in to the account (IDP_LOGIN_NEW_SOURCE_INTERVAL); known ones sign in as usual.',
    '10',
    integer(1, 10_000, 10),
  ),
  loginFailureWindow: setting(
    'IDP_LOGIN_FAILURE_WINDOW',
    'The window over which failed sign-ins per account and per (account, source) are counted.',
    '15m',
    duration(60, DAY, '15m'),
  ),
  loginNewSourceInterval: setting(
    'IDP_LOGIN_NEW_SOURCE_INTERVAL',
    'While an account has more failures than IDP_LOGIN_FAILURES_PER_ACCOUNT, the sources that never signed in to it share one attempt per this interval (others get a 429 page saying when to retry).',
    '1m',
    duration(1, 3600, '1m'),
  ),
  loginKnownSourceTtl: setting(
    'IDP_LOGIN_KNOWN_SOURCE_TTL',
    'How long an address or browser (the `idp_device` cookie) that signed in to an account counts as known to it, and so is not held back by failures from elsewhere.',
    '14d',
    duration(3600, 24 * DAY, '14d'),
  ),
  cleanupInterval: setting(
    'IDP_CLEANUP_INTERVAL',
    'How often expired codes, sessions, revocation entries and token families are deleted (in small batches). `off` disables the job; `pnpm idp gc` runs it by hand.',
    '10m',
    optionalDuration(60, DAY, '10m'),
  ),
  cleanupRetention: setting(
    'IDP_CLEANUP_RETENTION',
    'How long expired or revoked rows are kept before deletion: the window in which a replayed code or refresh token is still recognised and audited.',
    '1d',
    duration(60, 365 * DAY, '1d'),
  ),
  shutdownTimeout: setting(
    'IDP_SHUTDOWN_TIMEOUT',
    'On SIGTERM, how long in-flight requests may take before the process exits anyway.',
    '10s',
    duration(1, 600, '10s'),
  ),
  adminToken: setting(
    'IDP_ADMIN_TOKEN',
    'Bootstrap bearer token for the admin API (`/admin/api/v1`; also enables the older `/admin/keys`), at least 32 characters. Unset: the admin API takes only access tokens with the `idp:admin` scope (client credentials, or an administrator signed in with the role).',
    undefined,
    optional((text) =>
      text.length >= 32
        ? text
        : new Problem(
            'must be at least 32 characters; generate one with `openssl rand -base64 32`',
          ),
    ),
  ),
  registration: setting(
    'IDP_REGISTRATION',
    'Dynamic client registration (RFC 7591, RFC 7592) at `/register`: `closed` (no endpoint, not in discovery), `token` (a registration needs an initial access token from `pnpm idp clients initial-token`), or `open` (anyone may register a client; consent is always asked of such clients).',
    'closed',
    oneOf(['closed', 'token', 'open'] as const, 'closed'),
  ),
  registrationRateLimit: setting(
    'IDP_REGISTRATION_RATE_LIMIT',
    'Registration requests (`POST /register`) allowed per client IP per hour; past it, that address gets 429 with Retry-After.',
    '20',
    integer(1, 100_000, 20),
  ),
  registrationGrantTypes: setting(
    'IDP_REGISTRATION_GRANT_TYPES',
    'Comma-separated grant types that clients registering themselves (`/register`) or known by a Client ID Metadata Document may use; the default is every grant type the server has. A registration asking for another gets `invalid_client_metadata`; a client registered under a wider setting loses the others at once. Operator-created clients (seed file, CLI, admin API) are not limited. With `IDP_REGISTRATION=open`, consider `authorization_code,refresh_token`: then nobody can register a machine client (`client_credentials`) for itself. Metadata-document clients never use more than those two.',
    GRANT_TYPES.join(','),
    grantTypeList(GRANT_TYPES.join(',')),
  ),
  registrationResources: setting(
    'IDP_REGISTRATION_RESOURCES',
    'Comma-separated RFC 8707 resources (access token audiences) that self-registered and metadata-document clients may ask for, at registration (`resources`), at `/authorize` and at `/token`: absolute URLs, matched exactly, or prefixes ending in `/` (`https://mcp.example.com/` admits every resource under it). Unset: not limited (any absolute URL outside this issuer, as RFC 8707 allows), so a resource server must not take `aud` alone as proof that the operator approved the client; `none`: no resources, so their access tokens are only for this server. Outside it: `invalid_client_metadata` at registration, `invalid_target` at the endpoints. Operator-created clients are not limited.',
    undefined,
    resourceList(),
  ),
  trustProxy: setting(
    'IDP_TRUST_PROXY',
    'Reverse proxies whose `X-Forwarded-For` names the client: `false`, a hop count (`1`: the nearest proxy), or comma-separated proxy addresses or CIDRs (`10.0.0.0/8, 127.0.0.1`; also `loopback`, `linklocal`, `uniquelocal`). `true` is refused: it would let any client choose its own address.',
    'false',
    z
      .string()
      .trim()
      .default('false')
      .transform((text, ctx) => {
        const value = parseTrustProxy(text);
        if (value instanceof Problem) {
          ctx.addIssue({ code: 'custom', message: value.message });
          return z.NEVER;
        }
        return value;
      }),
  ),
  clientMetadataDocuments: setting(
    'IDP_CLIENT_METADATA_DOCUMENTS',
    '`true`: a `client_id` that is an https URL names a Client ID Metadata Document (draft-ietf-oauth-client-id-metadata-document, as MCP clients use), which the server fetches (5 KB at most, no redirects, no private or loopback addresses unless IDP_OUTBOUND_ALLOWED_HOSTS lists the host) and caches for its `Cache-Control` max-age (between 1 minute and 1 day). Such clients are public or `private_key_jwt`, always get the consent page, and discovery says `client_id_metadata_document_supported`.',
    'false',
    flag(false),
  ),
  outboundAllowedHosts: setting(
    'IDP_OUTBOUND_ALLOWED_HOSTS',
    "Comma-separated hosts (names or IP addresses) that the server's own outbound requests (client `jwks_uri` documents, Client ID Metadata Documents, back-channel logout tokens) may reach although they are on a private, loopback or link-local address, and over plain http: for tests and intranets, e.g. `127.0.0.1`. Every other such destination is refused after DNS resolution.",
    undefined,
    z
      .string()
      .optional()
      .transform((text, ctx) => {
        const hosts = (text ?? '')
          .split(',')
          .map((host) =>
            host
              .trim()
              .toLowerCase()
              .replace(/^\[(.*)\]$/, '$1'),
          )
          .filter(Boolean);
        const bad = hosts.find((host) => !/^[a-z0-9.:-]+$/.test(host));
        if (bad !== undefined) {
          ctx.addIssue({
            code: 'custom',
            message: `must be comma-separated host names or IP addresses (got ${JSON.stringify(bad)})`,
          });
          return z.NEVER;
        }
        return hosts as readonly string[];
      }),
  ),
  smtpUrl: setting(
    'IDP_SMTP_URL',
    'SMTP server for e-mail (password reset, address verification, sign-up): `smtp://host:port` (STARTTLS when the server offers it), `smtps://user:pass@host:port` (TLS from the start); user and password percent-encoded. Unset: no e-mail features, and the pages say so.',
    undefined,
    optional((text) => {
      try {
        const url = new URL(text);
        if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:')
          return new Problem('must be smtp://host:port or smtps://user:pass@host:port');
        if (!url.hostname) return new Problem('must name a host, e.g. smtp://127.0.0.1:25');
        return url.href;
      } catch {
        return new Problem('must be smtp://host:port or smtps://user:pass@host:port');
      }
    }),
  ),
  emailFrom: setting(
    'IDP_EMAIL_FROM',
    "Sender of the e-mails, an address or `Name <address>`. Unset: `no-reply@` the issuer's host name.",
    undefined,
    optional((text) =>
      /^[^\r\n<>]*<[^\s@<>]+@[^\s@<>]+>$|^[^\s@<>]+@[^\s@<>]+$/.test(text)
        ? text
        : new Problem('must be an e-mail address or Name <address>'),
    ),
  ),
  selfRegistration: setting(
    'IDP_SELF_REGISTRATION',
    '`true`: people may create their own account on a sign-up page linked from the login page (rate limited); the account starts with `email_verified: false` until its owner follows the link mailed to them. Needs IDP_SMTP_URL.',
    'false',
    flag(false),
  ),
  passwordResetTtl: setting(
    'IDP_PASSWORD_RESET_TTL',
    'How long a password-reset link works (it works once).',
    '30m',
    duration(1, DAY, '30m'),
  ),
  emailVerificationTtl: setting(
    'IDP_EMAIL_VERIFICATION_TTL',
    'How long an address-verification link works (it works once).',
    '1d',
    duration(60, 30 * DAY, '1d'),
  ),
  brandName: setting(
    'IDP_BRAND_NAME',
    "Product name shown at the top of every page for people and in its title, and named in the e-mails. Unset: no name on the pages; the e-mails name the issuer's host.",
    undefined,
    optional((text) =>
      text.length <= 80 && !/\p{Cc}/u.test(text)
        ? text
        : new Problem('must be at most 80 characters, without control characters'),
    ),
  ),
  brandLogoUrl: setting(
    'IDP_BRAND_LOGO_URL',
    "Logo shown above every page for people: an https URL, or a path starting with `/` on the issuer's origin (this server serves no files there itself: a server in front of it must). The page policy (CSP) allows images from its origin only.",
    undefined,
    optional(brandLogoUrl),
  ),
  brandPrimaryColor: setting(
    'IDP_BRAND_PRIMARY_COLOR',
    'Primary colour of buttons, links and focus rings, as `#rrggbb`. Text on it is black or white, whichever contrasts more (WCAG 2.2 relative luminance); links fall back to the text colour where the colour is too faint to read on the page.',
    undefined,
    optional((text) =>
      /^#[0-9a-f]{6}$/i.test(text)
        ? text.toLowerCase()
        : new Problem('must be a colour written as #rrggbb, e.g. #2450d3'),
    ),
  ),
} as const;

/** A logo address: https (any host), or an absolute path on this server (not `//host`). */
function brandLogoUrl(text: string): string | Problem {
  if (text.startsWith('/') && !text.startsWith('//') && !/[\s\\]/.test(text)) return text;
  try {
    const url = new URL(text);
    if (url.protocol === 'https:' && !url.username && !url.password) return url.href;
  } catch {
    // not a URL: the message below says what is accepted
  }
  return new Problem('must be an https URL or a path on this server starting with /');
}

export type Settings = typeof settings;
export type SettingKey = keyof Settings;
