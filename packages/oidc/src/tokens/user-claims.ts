import { LRUCache } from 'lru-cache';
import { SCOPE_CLAIMS } from '../scopes/scopes.js';
import type { UserAccount } from '../users/user-account.js';

/**
 * The claim names that each granted scope set releases, worked out once per set: every ID token
 * and userinfo response needs them, and the sets a deployment grants are few. Bounded all the
 * same (scope values are client input at /authorize): the least recently used set goes first.
 */
const claimNamesByScopes = new LRUCache<string, readonly string[]>({ max: 256 });

function claimNamesFor(scopes: readonly string[]): readonly string[] {
  const key = scopes.join(' ');
  let names = claimNamesByScopes.get(key);
  if (!names) {
    names = [...new Set(scopes.flatMap((scope) => SCOPE_CLAIMS[scope] ?? []))];
    claimNamesByScopes.set(key, names);
  }
  return names;
}

/** A user's value of one claim: `email` lives on the account, `email_verified` defaults to false. */
function claimValue(user: UserAccount, name: string): unknown {
  if (name === 'email') return user.email;
  const claims = user.claims as Record<string, unknown>;
  // Own properties only: a requested name such as "constructor" must not find Object's.
  const value = Object.hasOwn(claims, name) ? claims[name] : undefined;
  return name === 'email_verified' ? (value ?? false) : value;
}

/**
 * The claims of `user` released for these scopes plus the individually requested claim names
 * (OIDC Core 5.4, 5.5). Only claims the user has are included; `sub` is the caller's business.
 */
export function releasedUserClaims(
  user: UserAccount,
  scopes: readonly string[],
  requested: readonly string[] = [],
): Record<string, unknown> {
  const released: Record<string, unknown> = {};
  for (const names of [claimNamesFor(scopes), requested]) {
    for (const name of names) {
      if (name === 'sub' || Object.hasOwn(released, name)) continue;
      const value = claimValue(user, name);
      if (value !== undefined) released[name] = value;
    }
  }
  return released;
}
