// What each scope lets the client do, from the person's side (OIDC Core 5.4, 11).
const SCOPE_TEXT = new Map<string, string>([
  ['openid', 'Confirm who you are'],
  ['profile', 'See your name, picture and other profile details'],
  ['email', 'See your email address'],
  ['address', 'See your postal address'],
  ['phone', 'See your phone number'],
  ['offline_access', 'Stay signed in: keep access when you are not using the app'],
]);

/**
 * A scope in plain words for the consent page; a scope without a description is shown as
 * itself, so nothing requested is hidden from the person.
 */
export function describeScope(scope: string): string {
  return SCOPE_TEXT.get(scope) ?? scope;
}
