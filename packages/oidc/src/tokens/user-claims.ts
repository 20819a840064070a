import { SCOPE_CLAIMS } from '../scopes/scopes.js';
import type { UserAccount } from '../users/user-account.js';

/**
 * The claims of `user` released for these scopes plus the individually requested claim names
 * (OIDC Core 5.4, 5.5). Only claims the user has are included; `sub` is the caller's business.
 */
export function releasedUserClaims(
  user: UserAccount,
  scopes: readonly string[],
  requested: readonly string[] = [],
): Record<string, unknown> {
  const all: Record<string, unknown> = {
    ...user.claims,
    email: user.email,
    email_verified: user.claims.email_verified ?? false,
  };
  const names = new Set([...scopes.flatMap((scope) => SCOPE_CLAIMS[scope] ?? []), ...requested]);
  const released: Record<string, unknown> = {};
  for (const name of names) {
    if (all[name] !== undefined && name !== 'sub') released[name] = all[name];
  }
  return released;
}
