import { MIN_PASSWORD_LENGTH } from '../passwords.js';
import { hiddenFields } from './hidden-fields.js';
import { html } from './html.js';
import { page } from './layout.js';
import { textsOf, type PageContext } from './page-context.js';

/** The words are `newPassword` in i18n/en.ts. */
export interface NewPasswordPageOptions extends PageContext {
  /** The account's address, shown and given to password managers. */
  email: string;
  /** The token from the mailed link, posted back as `token`. */
  token: string;
  csrf: string;
  action: string;
  /** Why the last attempt was refused, in plain words. */
  error?: string;
}

const ERROR_ID = 'password-error';
const HINT_ID = 'password-hint';

/** The form behind a password-reset link: the new password, twice. */
export function newPasswordPage(options: NewPasswordPageOptions): string {
  const t = textsOf(options).newPassword;
  const { email, token, csrf, action, error } = options;
  const described = error ? `${HINT_ID} ${ERROR_ID}` : HINT_ID;
  const invalid = error ? html` aria-invalid="true"` : '';
  const body = html`<h1>${t.title}</h1>
<p class="lead">${t.lead(email)}</p>
${error ? html`<p class="alert" role="alert" id="${ERROR_ID}">${error}</p>` : ''}
<form method="post" action="${action}">
${hiddenFields({ token, csrf })}<input type="hidden" name="username" autocomplete="username" value="${email}">
<div class="field">
<label for="password">${t.password}</label>
<input type="password" name="password" id="password" autocomplete="new-password" minlength="${MIN_PASSWORD_LENGTH}" required aria-describedby="${described}" autofocus${invalid}>
<p class="muted" id="${HINT_ID}">${t.hint(MIN_PASSWORD_LENGTH)}</p>
</div>
<div class="field">
<label for="password_confirmation">${t.confirmation}</label>
<input type="password" name="password_confirmation" id="password_confirmation" autocomplete="new-password" required${invalid}>
</div>
<div class="actions">
<button type="submit">${t.submit}</button>
</div>
</form>`;
  return page({ ...options, title: t.title, body });
}
