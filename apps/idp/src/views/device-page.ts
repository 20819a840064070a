import { hiddenFields } from './hidden-fields.js';
import { html } from './html.js';
import { page } from './layout.js';
import { textsOf, type PageContext } from './page-context.js';

/** What the user code page shows and where its form goes. */
export interface DevicePageOptions extends PageContext {
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
export function devicePage(options: DevicePageOptions): string {
  const { userCode = '', error, csrf, action } = options;
  const t = textsOf(options).device;
  const invalid = error ? html` aria-invalid="true" aria-describedby="${ERROR_ID}"` : '';
  const body = html`<h1>${t.title}</h1>
<p class="lead">${t.lead}</p>
${error ? html`<p class="alert" role="alert" id="${ERROR_ID}">${error}</p>` : ''}
<form method="post" action="${action}">
${hiddenFields({ csrf })}<div class="field">
<label for="user_code">${t.code}</label>
<input name="user_code" id="user_code" type="text" autocomplete="off" autocapitalize="characters" spellcheck="false" required placeholder="XXXX-XXXX" value="${userCode}" autofocus${invalid}>
</div>
<div class="actions">
<button type="submit">${t.submit}</button>
</div>
</form>`;
  return page({ ...options, title: t.title, body });
}
