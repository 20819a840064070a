import { hiddenFields } from './hidden-fields.js';
import { html } from './html.js';
import { page } from './layout.js';
import { textsOf, type PageContext } from './page-context.js';

/** What the sign-in's second step shows and where its form goes. */
export interface OneTimeCodePageOptions extends PageContext {
  clientName: string;
  /** Why the last code was refused, in plain words. */
  error?: string;
  interaction: string;
  csrf: string;
  action: string;
}

const ERROR_ID = 'code-error';

/**
 * The second step of a sign-in: a six-digit code from the person's authenticator app, or one
 * of their recovery codes. One form, two fields (the code field is numeric for phone keyboards,
 * the recovery field takes letters), so it works without JavaScript.
 */
export function oneTimeCodePage(options: OneTimeCodePageOptions): string {
  const { clientName, error, interaction, csrf, action } = options;
  const t = textsOf(options).oneTimeCode;
  const invalid = error ? html` aria-invalid="true" aria-describedby="${ERROR_ID}"` : '';
  const body = html`<h1>${t.title}</h1>
<p class="lead">${t.lead} <strong>${clientName}</strong>.</p>
${error ? html`<p class="alert" role="alert" id="${ERROR_ID}">${error}</p>` : ''}
<form method="post" action="${action}">
${hiddenFields({ interaction, csrf })}<div class="field">
<label for="code">${t.code}</label>
<input name="code" id="code" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]*" maxlength="8" autofocus${invalid}>
</div>
<details>
<summary>${t.useRecovery}</summary>
<div class="field">
<label for="recovery_code">${t.recoveryCode}</label>
<input name="recovery_code" id="recovery_code" type="text" autocomplete="off" autocapitalize="none" spellcheck="false" maxlength="20">
</div>
</details>
<div class="actions">
<button type="submit">${t.submit}</button>
</div>
</form>`;
  return page({ ...options, title: t.title, body });
}
