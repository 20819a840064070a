import { PASSKEY_SCRIPTS } from '../passkeys/passkey-assets.js';
import { hiddenFields } from './hidden-fields.js';
import { html, type SafeHtml } from './html.js';
import { textsOf, type PageContext } from './page-context.js';

/** Where a passkey ceremony gets its options and posts its result, and what it carries. */
export interface PasskeyFormOptions extends PageContext {
  /** `authentication` (sign in) or `registration` (add a passkey). */
  readonly ceremony: 'authentication' | 'registration';
  /** The button's words; they contain "passkey" (DESIGN.md page contract). */
  readonly label: string;
  /** URL the options come from (POST of the hidden fields, JSON answer). */
  readonly optionsUrl: string;
  /** URL the form posts the credential to. */
  readonly action: string;
  /** Hidden fields sent with both requests (CSRF token, interaction state). */
  readonly fields: Readonly<Record<string, string>>;
  /** Offer passkeys in the username field's autofill too (conditional UI). */
  readonly autofill?: boolean;
  /** A field the person fills in with the result (the new passkey's name). */
  readonly extra?: SafeHtml;
}

/** The scripts a page with a passkey form loads. */
export const PASSKEY_PAGE_SCRIPTS = PASSKEY_SCRIPTS;

/**
 * A form that runs a WebAuthn ceremony. Hidden until the page script finds WebAuthn in the
 * browser: without JavaScript it could do nothing, and the rest of the page works without it.
 */
export function passkeyForm(options: PasskeyFormOptions): SafeHtml {
  const { ceremony, label, optionsUrl, action, fields, autofill = false, extra } = options;
  const t = textsOf(options).passkeyCeremony;
  return html`<form method="post" action="${action}" data-passkey="${ceremony}" data-options="${optionsUrl}" data-autofill="${autofill ? 'true' : 'false'}" hidden>
${hiddenFields({ ...fields, state: '', credential: '' })}${extra ?? ''}<div class="actions">
<button type="submit">${label}</button>
</div>
<p class="alert" role="alert" data-passkey-status data-cancelled="${t.cancelled}" data-failed="${t.failed}" hidden></p>
</form>`;
}
