import { hiddenFields } from './hidden-fields.js';
import { html } from './html.js';
import { page } from './layout.js';
import { textsOf, type PageContext } from './page-context.js';

/** The words are `changeEmail` in i18n/en.ts. */
export interface ChangeEmailPageOptions extends PageContext {
  /** The address the account moves to. */
  email: string;
  token: string;
  csrf: string;
  action: string;
}

/**
 * One button that moves the account to the new address. Opening the mailed link changes
 * nothing by itself, so a mail scanner that fetches links changes nothing on anyone's behalf.
 */
export function changeEmailPage(options: ChangeEmailPageOptions): string {
  const { email, token, csrf, action } = options;
  const t = textsOf(options).changeEmail;
  const body = html`<h1>${t.title}</h1>
<p class="lead">${t.lead(email)}</p>
<form method="post" action="${action}">
${hiddenFields({ token, csrf })}<div class="actions">
<button type="submit">${t.submit}</button>
</div>
</form>`;
  return page({ ...options, title: t.title, body });
}
