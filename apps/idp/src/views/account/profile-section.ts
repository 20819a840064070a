import type { EditableClaim } from '../../operations/profile-form.js';
import { html } from '../html.js';
import { postForm, section, type SectionContext } from './account-view.js';

export const PROFILE_PATH = '/account/profile';

/** The words of the section, in one place for translation. */
export const PROFILE_TEXTS = {
  title: 'Profile',
  lead: 'Applications you allow to see your profile receive these details. Leave a field empty to remove it.',
  email: 'Email',
  save: 'Save profile',
  labels: {
    name: 'Full name',
    given_name: 'Given name',
    family_name: 'Family name',
    nickname: 'Nickname',
    preferred_username: 'Preferred username',
    locale: 'Language',
    zoneinfo: 'Time zone',
    picture: 'Picture (web address)',
    website: 'Website',
  } satisfies Record<EditableClaim, string>,
  hints: {
    locale: 'A language tag, such as en, en-GB or de-CH.',
    zoneinfo: 'Such as Europe/Berlin or America/New_York.',
  } as Partial<Record<EditableClaim, string>>,
} as const;

/** What the browser should offer to fill in, per field (HTML autofill tokens). */
const AUTOCOMPLETE: Record<EditableClaim, string> = {
  name: 'name',
  given_name: 'given-name',
  family_name: 'family-name',
  nickname: 'nickname',
  preferred_username: 'off',
  locale: 'language',
  zoneinfo: 'off',
  picture: 'photo',
  website: 'url',
};

const URL_FIELDS = new Set<EditableClaim>(['picture', 'website']);

export interface ProfileSectionOptions {
  readonly email: string;
  /** The value of each field: stored, or as typed when the form comes back with problems. */
  readonly values: Readonly<Record<EditableClaim, string>>;
  /** What is wrong with a field, in plain words. */
  readonly problems?: Readonly<Partial<Record<EditableClaim, string>>>;
}

/** The profile form: the claims a person may change about themselves, never their address. */
export function profileSection(context: SectionContext, options: ProfileSectionOptions) {
  const t = PROFILE_TEXTS;
  const { values, problems = {} } = options;
  // The first field with a problem takes the focus, so the person lands where to fix it.
  const firstProblem = (Object.keys(t.labels) as EditableClaim[]).find((c) => problems[c]);
  const fields = (Object.keys(t.labels) as EditableClaim[]).map((claim) => {
    const id = `profile-${claim}`;
    const hint = t.hints[claim];
    const problem = problems[claim];
    const described = [hint ? `${id}-hint` : '', problem ? `${id}-error` : '']
      .filter(Boolean)
      .join(' ');
    return html`<div class="field">
<label for="${id}">${t.labels[claim]}</label>
<input id="${id}" name="${claim}" type="${URL_FIELDS.has(claim) ? 'url' : 'text'}" value="${values[claim]}" autocomplete="${AUTOCOMPLETE[claim]}"${described ? html` aria-describedby="${described}"` : ''}${problem ? html` aria-invalid="true"` : ''}${claim === firstProblem ? html` autofocus` : ''}>
${hint ? html`<p class="field-hint" id="${id}-hint">${hint}</p>\n` : ''}${problem ? html`<p class="field-error" id="${id}-error">${problem}</p>\n` : ''}</div>
`;
  });
  return {
    id: 'profile',
    title: t.title,
    html: section(
      'profile',
      t.title,
      html`<p class="section-lead">${t.lead}</p>
<div class="field"><span class="label">${t.email}</span><p class="readonly">${options.email}</p></div>
${postForm(
  PROFILE_PATH,
  context,
  html`<div class="field-grid">
${fields}</div>
<div class="actions inline"><button type="submit">${t.save}</button></div>`,
)}`,
    ),
  };
}
