// Each user claim (OIDC Core 5.1) from the person's side, for the consent page, when a client
// asks for it on its own through the `claims` parameter (OIDC Core 5.5).
const CLAIM_TEXT = new Map<string, string>([
  ['name', 'your full name'],
  ['given_name', 'your first name'],
  ['family_name', 'your last name'],
  ['middle_name', 'your middle name'],
  ['nickname', 'your nickname'],
  ['preferred_username', 'your preferred username'],
  ['profile', 'your profile page address'],
  ['picture', 'your picture'],
  ['website', 'your website'],
  ['gender', 'your gender'],
  ['birthdate', 'your date of birth'],
  ['zoneinfo', 'your time zone'],
  ['locale', 'your language and region'],
  ['updated_at', 'when your profile last changed'],
  ['email', 'your email address'],
  ['email_verified', 'whether your email address is verified'],
  ['address', 'your postal address'],
  ['phone_number', 'your phone number'],
  ['phone_number_verified', 'whether your phone number is verified'],
]);

/** A claim in plain words ("See your full name"); one without a description is shown as itself. */
export function describeClaim(claim: string): string {
  return `See ${CLAIM_TEXT.get(claim) ?? claim}`;
}
