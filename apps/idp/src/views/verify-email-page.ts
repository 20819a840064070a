import { hiddenFields } from './hidden-fields.js';
import { html } from './html.js';
import { page } from './layout.js';

/** The words of the page, in one place for translation. */
export const VERIFY_EMAIL_TEXTS = {
  title: 'Confirm your e-mail address',
  lead: (email: string) => `Confirm that ${email} is your address.`,
  submit: 'Confirm my address',
} as const;

export interface VerifyEmailPageOptions {
  email: string;
  token: string;
  csrf: string;
  action: string;
}

/**
 * One button that confirms the address. Opening the mailed link changes nothing by itself, so
 * a mail scanner that fetches links confirms nothing on the person's behalf.
 */
export function verifyEmailPage({ email, token, csrf, action }: VerifyEmailPageOptions): string {
  const t = VERIFY_EMAIL_TEXTS;
  const body = html`<h1>${t.title}</h1>
<p class="lead">${t.lead(email)}</p>
<form method="post" action="${action}">
${hiddenFields({ token, csrf })}<div class="actions">
<button type="submit">${t.submit}</button>
</div>
</form>`;
  return page({ title: t.title, body });
}
