import { MIN_PASSWORD_LENGTH } from '../passwords.js';
import { emailField } from './email-field.js';
import { hiddenFields } from './hidden-fields.js';
import { html } from './html.js';
import { page } from './layout.js';
import { textsOf, type PageContext } from './page-context.js';

/** The words are `signUp` in i18n/en.ts. */
export interface SignUpPageOptions extends PageContext {
  csrf: string;
  action: string;
  resume?: string;
  backHref?: string;
  /** What the person typed before an error. */
  email?: string;
  name?: string;
  error?: string;
}

const ERROR_ID = 'sign-up-error';
const HINT_ID = 'sign-up-hint';

/** The self-registration form (IDP_SELF_REGISTRATION); a plain form, no JavaScript needed. */
export function signUpPage(options: SignUpPageOptions): string {
  const t = textsOf(options).signUp;
  const { csrf, action, resume, backHref, email = '', name = '', error } = options;
  const errorRef = error ? html` aria-describedby="${ERROR_ID}"` : '';
  const body = html`<h1>${t.title}</h1>
<p class="lead">${t.lead}</p>
${error ? html`<p class="alert" role="alert" id="${ERROR_ID}">${error}</p>` : ''}
<form method="post" action="${action}">
${hiddenFields({ csrf, ...(resume ? { resume } : {}) })}${emailField(t.email, email, errorRef)}
<div class="field">
<label for="name">${t.name}</label>
<input name="name" id="name" type="text" autocomplete="name" maxlength="200" value="${name}">
</div>
<div class="field">
<label for="password">${t.password}</label>
<input type="password" name="password" id="password" autocomplete="new-password" minlength="${MIN_PASSWORD_LENGTH}" required aria-describedby="${HINT_ID}">
<p class="muted" id="${HINT_ID}">${t.hint(MIN_PASSWORD_LENGTH)}</p>
</div>
<div class="field">
<label for="password_confirmation">${t.confirmation}</label>
<input type="password" name="password_confirmation" id="password_confirmation" autocomplete="new-password" required>
</div>
<div class="actions">
<button type="submit">${t.submit}</button>
</div>
</form>
${backHref ? html`<p class="muted"><a href="${backHref}">${t.back}</a></p>` : ''}`;
  return page({ ...options, title: t.title, body });
}
