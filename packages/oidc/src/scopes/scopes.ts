/** Scopes this provider understands (OIDC Core 5.4, 11). */
export const SUPPORTED_SCOPES = [
  'openid',
  'profile',
  'email',
  'address',
  'phone',
  'offline_access',
] as const;

/**
 * The scope that opens the admin API to a client's client-credentials token. Only an operator
 * grants it (seed file, CLI, admin API): a client that registers itself or names itself by a
 * metadata document may not ask for it.
 */
export const ADMIN_SCOPE = 'idp:admin';

/** Claims each scope releases (OIDC Core 5.4). */
export const SCOPE_CLAIMS: Readonly<Record<string, readonly string[]>> = {
  profile: [
    'name',
    'family_name',
    'given_name',
    'middle_name',
    'nickname',
    'preferred_username',
    'profile',
    'picture',
    'website',
    'gender',
    'birthdate',
    'zoneinfo',
    'locale',
    'updated_at',
  ],
  email: ['email', 'email_verified'],
  address: ['address'],
  phone: ['phone_number', 'phone_number_verified'],
};

/** Every claim we can release, for discovery's claims_supported. */
export const SUPPORTED_CLAIMS = [
  'sub',
  'iss',
  'aud',
  'exp',
  'iat',
  'auth_time',
  'nonce',
  'acr',
  'amr',
  'azp',
  'sid',
  'at_hash',
  ...Object.values(SCOPE_CLAIMS).flat(),
];

/** Splits a scope parameter (RFC 6749 3.3): space-delimited, order irrelevant, duplicates dropped. */
export function parseScope(scope: string | undefined): string[] {
  return [...new Set((scope ?? '').split(' ').filter(Boolean))];
}

export function formatScope(scopes: readonly string[]): string {
  return scopes.join(' ');
}

/** True when every scope in `wanted` is in `granted`. */
export function coversScopes(granted: readonly string[], wanted: readonly string[]): boolean {
  const set = new Set(granted);
  return wanted.every((scope) => set.has(scope));
}
