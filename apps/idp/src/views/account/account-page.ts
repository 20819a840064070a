import { html, type SafeHtml } from '../html.js';
import { page } from '../layout.js';
import { PASSKEY_PAGE_SCRIPTS } from '../passkey-form.js';

/** What the account page shows: who is signed in, a notice after a change, and its sections. */
export interface AccountPageOptions {
  readonly email: string;
  /** One line about what just happened ("Passkey added."), or a problem. */
  readonly notice?: { readonly text: string; readonly problem: boolean };
  /** Each section's markup, in order (routes/account/account-page.ts composes them). */
  readonly sections: readonly SafeHtml[];
  /** The sign-out link. */
  readonly signOutHref: string;
}

/** The signed-in person's account page (`/account`). */
export function accountPage(options: AccountPageOptions): string {
  const { email, notice, sections, signOutHref } = options;
  const body = html`<h1>Your account</h1>
<p class="lead">Signed in as <strong>${email}</strong></p>
${
  notice
    ? notice.problem
      ? html`<p class="alert" role="alert">${notice.text}</p>`
      : html`<p class="lead" role="status"><strong>${notice.text}</strong></p>`
    : ''
}
${sections}
<p class="muted"><a href="${signOutHref}">Sign out</a></p>`;
  return page({ title: 'Your account', body, scripts: PASSKEY_PAGE_SCRIPTS });
}
