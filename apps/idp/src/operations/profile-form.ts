/**
 * The claims people may change about themselves on the account page, and the rules their values
 * follow. Not email or email_verified: an address changes only through a verified mailbox, and
 * whether it is verified is the server's to say. Not phone_number or address either (no way to
 * verify them yet), nor anything an administrator set to describe the person's standing.
 */
export const EDITABLE_CLAIMS = [
  'name',
  'given_name',
  'family_name',
  'nickname',
  'preferred_username',
  'locale',
  'zoneinfo',
  'picture',
  'website',
] as const;

export type EditableClaim = (typeof EDITABLE_CLAIMS)[number];

/**
 * What is wrong with a field, as a code the page puts in the reader's words (i18n
 * `account.profile.rules`); `too_long` means longer than {@link MAX_PROFILE_TEXT} characters.
 */
export type ProfileProblem =
  'too_long' | 'control' | 'username_spaces' | 'locale' | 'zoneinfo' | 'url';

/** A submitted profile: a merge patch (RFC 7396: null removes the claim) or its problems. */
export type ProfileForm =
  | { readonly ok: true; readonly patch: Readonly<Record<EditableClaim, string | null>> }
  | {
      readonly ok: false;
      readonly values: Readonly<Record<EditableClaim, string>>;
      readonly problems: Readonly<Partial<Record<EditableClaim, ProfileProblem>>>;
    };

/** The longest text claim, in characters. */
export const MAX_PROFILE_TEXT = 200;
const MAX_URL = 2048;
// C0 and C1 controls, and the line and paragraph separators: never part of a name.
const CONTROL = /[\p{Cc}\u2028\u2029]/u;

function textProblem(value: string): ProfileProblem | undefined {
  if ([...value].length > MAX_PROFILE_TEXT) return 'too_long';
  if (CONTROL.test(value)) return 'control';
  return undefined;
}

/** BCP 47 (RFC 5646), as OIDC Core 5.1 asks of `locale`; answered in its canonical case. */
function canonicalLocale(value: string): string | undefined {
  try {
    return Intl.getCanonicalLocales(value)[0];
  } catch {
    return undefined;
  }
}

/** An IANA time zone name such as Europe/Paris (OIDC Core 5.1 `zoneinfo`). */
function isTimeZone(value: string): boolean {
  if (!/^[A-Za-z_+\-/0-9]{1,64}$/.test(value)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** An absolute http(s) URL: what a page may link to or load as a picture, nothing that runs. */
function isWebUrl(value: string): boolean {
  if (value.length > MAX_URL || /\s/.test(value)) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
  } catch {
    return false;
  }
}

type Checked = { value: string } | { problem: ProfileProblem };

const RULES: Record<EditableClaim, (value: string) => Checked> = {
  name: text,
  given_name: text,
  family_name: text,
  nickname: text,
  preferred_username: (value) => (/\s/.test(value) ? { problem: 'username_spaces' } : text(value)),
  locale: (value) => {
    const canonical = canonicalLocale(value);
    return canonical ? { value: canonical } : { problem: 'locale' };
  },
  zoneinfo: (value) => (isTimeZone(value) ? { value } : { problem: 'zoneinfo' }),
  picture: url,
  website: url,
};

function text(value: string): Checked {
  const problem = textProblem(value);
  return problem ? { problem } : { value };
}

function url(value: string): Checked {
  return isWebUrl(value) ? { value } : { problem: 'url' };
}

/**
 * Reads the profile form: each editable claim, trimmed; an empty field removes the claim. A
 * field missing from the form, or sent twice, counts as empty (the form always sends each once).
 */
export function readProfileForm(form: Readonly<Record<string, unknown>>): ProfileForm {
  const values = {} as Record<EditableClaim, string>;
  const patch = {} as Record<EditableClaim, string | null>;
  const problems: Partial<Record<EditableClaim, ProfileProblem>> = {};
  for (const claim of EDITABLE_CLAIMS) {
    const raw = form[claim];
    const typed = typeof raw === 'string' ? raw.slice(0, MAX_URL + 1).trim() : '';
    values[claim] = typed;
    if (typed === '') {
      patch[claim] = null;
      continue;
    }
    const checked = RULES[claim](typed);
    if ('problem' in checked) problems[claim] = checked.problem;
    else patch[claim] = checked.value;
  }
  return Object.keys(problems).length > 0 ? { ok: false, values, problems } : { ok: true, patch };
}

/** The editable claims' current values, as strings for the form's fields. */
export function profileValues(claims: Readonly<Record<string, unknown>>) {
  const values = {} as Record<EditableClaim, string>;
  for (const claim of EDITABLE_CLAIMS) {
    const value = claims[claim];
    values[claim] = typeof value === 'string' ? value : '';
  }
  return values;
}
