import { MIN_PASSWORD_LENGTH } from '../../passwords.js';
import { html } from '../html.js';
import { accountTexts, postForm, section, type SectionContext } from './account-view.js';

export const PASSWORD_PATH = '/account/password';

export interface PasswordSectionOptions {
  /** The account's address, for password managers (a hidden username field). */
  readonly email: string;
  /** Why the last attempt was refused, and which field to fix. */
  readonly problem?: { readonly field: 'current' | 'next'; readonly message: string } | undefined;
}

/** Password change: the current password, then the new one twice (i18n `account.password`). */
export function passwordSection(context: SectionContext, options: PasswordSectionOptions) {
  const t = accountTexts(context).password;
  const { problem } = options;
  const error = (field: 'current' | 'next') =>
    problem?.field === field
      ? html`<p class="field-error" id="password-${field}-error">${problem.message}</p>\n`
      : '';
  const invalid = (field: 'current' | 'next') =>
    problem?.field === field ? html` aria-invalid="true" autofocus` : '';
  const currentDescribed =
    problem?.field === 'current' ? html` aria-describedby="password-current-error"` : '';
  const nextDescribed =
    problem?.field === 'next' ? 'password-next-hint password-next-error' : 'password-next-hint';
  const form = html`<input type="hidden" name="username" autocomplete="username" value="${options.email}">
<div class="field">
<label for="password-current">${t.current}</label>
<input type="password" id="password-current" name="current_password" autocomplete="current-password" required${currentDescribed}${invalid('current')}>
${error('current')}</div>
<div class="field">
<label for="password-next">${t.next}</label>
<input type="password" id="password-next" name="password" autocomplete="new-password" minlength="${MIN_PASSWORD_LENGTH}" required aria-describedby="${nextDescribed}"${invalid('next')}>
<p class="field-hint" id="password-next-hint">${t.hint(MIN_PASSWORD_LENGTH)}</p>
${error('next')}</div>
<div class="field">
<label for="password-confirmation">${t.confirmation}</label>
<input type="password" id="password-confirmation" name="password_confirmation" autocomplete="new-password" required>
</div>
<div class="actions inline"><button type="submit">${t.submit}</button></div>`;
  return {
    id: 'password',
    title: t.title,
    html: section(
      'password',
      t.title,
      html`<p class="section-lead">${t.lead}</p>\n${postForm(PASSWORD_PATH, context, form)}`,
    ),
  };
}
