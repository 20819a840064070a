import { hiddenFields } from './hidden-fields.js';
import { html } from './html.js';
import { page } from './layout.js';
import { textsOf, type PageContext } from './page-context.js';

/** The page behind a mailed confirmation link; its words are the group of that name in i18n/en.ts. */
export interface MailedLinkPageOptions extends PageContext {
  /** The address being confirmed, or the one the account moves to. */
  email: string;
  token: string;
  csrf: string;
  action: string;
}

/**
 * One button that does what the link is for. Opening the mailed link changes nothing by itself,
 * so a mail scanner that fetches links confirms or changes nothing on anyone's behalf.
 */
function mailedLinkPage(
  words: 'verifyEmail' | 'changeEmail',
  options: MailedLinkPageOptions,
): string {
  const { email, token, csrf, action } = options;
  const t = textsOf(options)[words];
  const body = html`<h1>${t.title}</h1>
<p class="lead">${t.lead(email)}</p>
<form method="post" action="${action}">
${hiddenFields({ token, csrf })}<div class="actions">
<button type="submit">${t.submit}</button>
</div>
</form>`;
  return page({ ...options, title: t.title, body });
}

/** Confirms the address the link was mailed to. */
export const verifyEmailPage = (options: MailedLinkPageOptions) =>
  mailedLinkPage('verifyEmail', options);

/** Moves the account to the new address the link was mailed to. */
export const changeEmailPage = (options: MailedLinkPageOptions) =>
  mailedLinkPage('changeEmail', options);
