import { hiddenFields } from './hidden-fields.js';
import { html } from './html.js';
import { page } from './layout.js';
import { textsOf, type PageContext } from './page-context.js';

/** The words are `verifyEmail` in i18n/en.ts. */
export interface VerifyEmailPageOptions extends PageContext {
  email: string;
  token: string;
  csrf: string;
  action: string;
}

/**
 * One button that confirms the address. Opening the mailed link changes nothing by itself, so
 * a mail scanner that fetches links confirms nothing on the person's behalf.
 */
export function verifyEmailPage(options: VerifyEmailPageOptions): string {
  const { email, token, csrf, action } = options;
  const t = textsOf(options).verifyEmail;
  const body = html`<h1>${t.title}</h1>
<p class="lead">${t.lead(email)}</p>
<form method="post" action="${action}">
${hiddenFields({ token, csrf })}<div class="actions">
<button type="submit">${t.submit}</button>
</div>
</form>`;
  return page({ ...options, title: t.title, body });
}
