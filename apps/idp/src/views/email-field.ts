import { html, type SafeHtml } from './html.js';

/**
 * The address field of the pages that ask for one (forgot password, sign up): focused first and
 * `autocomplete="username"`, so a password manager fills in and later saves the same account.
 * `aria` carries the attributes that point at the page's error, when there is one.
 */
export function emailField(label: string, value: string, aria: SafeHtml | '' = ''): SafeHtml {
  return html`<div class="field">
<label for="email">${label}</label>
<input name="email" id="email" type="email" autocomplete="username" autocapitalize="none" spellcheck="false" required value="${value}" autofocus${aria}>
</div>`;
}
