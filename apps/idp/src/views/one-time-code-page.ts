import { hiddenFields } from './hidden-fields.js';
import { html } from './html.js';
import { page } from './layout.js';
import { PASSKEY_PAGE_SCRIPTS, passkeyForm } from './passkey-form.js';
import { textsOf, type PageContext } from './page-context.js';

/** What the sign-in's second step shows and where its forms go. */
export interface OneTimeCodePageOptions extends PageContext {
  clientName: string;
  /** Why the last code or passkey was refused, in plain words. */
  error?: string;
  interaction: string;
  csrf: string;
  action: string;
  /** Whether the person has one-time codes to type (true unless said otherwise). */
  codes?: boolean;
  /** "Use a passkey", for a person with passkeys: where its options come from and it posts. */
  passkey?: { readonly optionsUrl: string; readonly action: string };
}

const ERROR_ID = 'code-error';

/**
 * The second step of a sign-in: a six-digit code from the person's authenticator app, or one
 * of their recovery codes (one form, two fields: the code field is numeric for phone keyboards,
 * the recovery field takes letters), so it works without JavaScript; and, for a person with
 * passkeys, a passkey ceremony (which needs JavaScript) as the second factor instead.
 */
export function oneTimeCodePage(options: OneTimeCodePageOptions): string {
  const { clientName, error, interaction, csrf, action, codes = true, passkey } = options;
  const t = textsOf(options).oneTimeCode;
  const invalid = error ? html` aria-invalid="true" aria-describedby="${ERROR_ID}"` : '';
  const codeForm = codes
    ? html`<form method="post" action="${action}">
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
</form>`
    : '';
  const passkeyPart = passkey
    ? html`${codes ? html`<p class="muted">${t.or}</p>` : ''}${passkeyForm({
        ...passkey,
        ceremony: 'authentication',
        label: t.usePasskey,
        fields: { interaction, csrf },
      })}`
    : '';
  const title = codes ? t.title : t.passkeyTitle;
  const body = html`<h1>${title}</h1>
<p class="lead">${codes ? t.lead : t.passkeyLead} <strong>${clientName}</strong>.</p>
${error ? html`<p class="alert" role="alert" id="${ERROR_ID}">${error}</p>` : ''}
${codeForm}
${passkeyPart}`;
  return page({
    ...options,
    title,
    body,
    ...(passkey ? { scripts: PASSKEY_PAGE_SCRIPTS } : {}),
  });
}
