import { hiddenFields } from './hidden-fields.js';
import { html } from './html.js';
import { page } from './layout.js';

/** What the user code page shows and where its form goes. */
export interface DevicePageOptions {
  /** Prefills the code (from verification_uri_complete, or what the person typed before an error). */
  userCode?: string;
  /** Why the last entry failed, in plain words. */
  error?: string;
  /** CSRF token, posted back as `csrf`. */
  csrf: string;
  /** URL the form posts to. */
  action: string;
}

const ERROR_ID = 'device-error';

/**
 * The verification page of RFC 8628 3.3: one field, `user_code`, posted with `csrf` to
 * `action`. A plain form, so it works without JavaScript.
 */
export function devicePage({ userCode = '', error, csrf, action }: DevicePageOptions): string {
  const invalid = error ? html` aria-invalid="true" aria-describedby="${ERROR_ID}"` : '';
  const body = html`<h1>Connect a device</h1>
<p class="lead">Enter the code shown on your device. You will see what it asks for before anything is shared.</p>
${error ? html`<p class="alert" role="alert" id="${ERROR_ID}">${error}</p>` : ''}
<form method="post" action="${action}">
${hiddenFields({ csrf })}<div class="field">
<label for="user_code">Code</label>
<input name="user_code" id="user_code" type="text" autocomplete="off" autocapitalize="characters" spellcheck="false" required placeholder="XXXX-XXXX" value="${userCode}" autofocus${invalid}>
</div>
<div class="actions">
<button type="submit">Continue</button>
</div>
</form>`;
  return page({ title: 'Connect a device', body });
}
