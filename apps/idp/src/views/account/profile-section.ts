import {
  EDITABLE_CLAIMS,
  MAX_PROFILE_TEXT,
  type EditableClaim,
  type ProfileProblem,
} from '../../operations/profile-form.js';
import { html } from '../html.js';
import { accountTexts, postForm, section, type SectionContext } from './account-view.js';

export const PROFILE_PATH = '/account/profile';

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
  /** What is wrong with a field, by code (put in words by i18n `account.profile.rules`). */
  readonly problems?: Readonly<Partial<Record<EditableClaim, ProfileProblem>>>;
}

/** The profile form: the claims a person may change about themselves, never their address. */
export function profileSection(context: SectionContext, options: ProfileSectionOptions) {
  const t = accountTexts(context).profile;
  const { values, problems = {} } = options;
  const say = (problem: ProfileProblem) => {
    const rule = t.rules[problem];
    return typeof rule === 'function' ? rule(MAX_PROFILE_TEXT) : rule;
  };
  // The first field with a problem takes the focus, so the person lands where to fix it.
  const firstProblem = EDITABLE_CLAIMS.find((c) => problems[c]);
  const fields = EDITABLE_CLAIMS.map((claim) => {
    const id = `profile-${claim}`;
    const hint = Object.hasOwn(t.hints, claim) ? t.hints[claim] : undefined;
    const problem = problems[claim];
    const described = [hint ? `${id}-hint` : '', problem ? `${id}-error` : '']
      .filter(Boolean)
      .join(' ');
    return html`<div class="field">
<label for="${id}">${t.labels[claim]}</label>
<input id="${id}" name="${claim}" type="${URL_FIELDS.has(claim) ? 'url' : 'text'}" value="${values[claim]}" autocomplete="${AUTOCOMPLETE[claim]}"${described ? html` aria-describedby="${described}"` : ''}${problem ? html` aria-invalid="true"` : ''}${claim === firstProblem ? html` autofocus` : ''}>
${hint ? html`<p class="field-hint" id="${id}-hint">${hint}</p>\n` : ''}${problem ? html`<p class="field-error" id="${id}-error">${say(problem)}</p>\n` : ''}</div>
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
