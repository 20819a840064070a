import type { StandardClaims } from './user-account.js';

/** The names of the claims whose values differ between two claim sets, sorted (for audit events). */
export function changedClaims(before: StandardClaims, after: StandardClaims): string[] {
  const value = (claims: StandardClaims, name: string) =>
    JSON.stringify((claims as Record<string, unknown>)[name]);
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((name) => value(before, name) !== value(after, name)).sort();
}
