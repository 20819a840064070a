import { hiddenFields } from './hidden-fields.js';
import { html } from './html.js';
import { page } from './layout.js';
import { textsOf, type PageContext } from './page-context.js';

/** Where the one-time-code settings live (`/account/one-time-codes` and its forms). */
export interface OneTimeCodeActions {
  readonly settings: string;
  readonly account: string;
  readonly confirm: string;
  readonly remove: string;
  readonly recoveryCodes: string;
  readonly confirmIdentity: string;
}

/** The enrolment: the QR code, the typed secret, and the form that confirms both with a code. */
export function enrolOneTimeCodesPage(
  options: PageContext & {
    qrDataUrl: string;
    secret: string;
    email: string;
    csrf: string;
    actions: OneTimeCodeActions;
    error?: string;
  },
): string {
  const { qrDataUrl, secret, email, csrf, actions, error } = options;
  const t = textsOf(options).account.oneTimeCodes;
  const invalid = error ? html` aria-invalid="true" aria-describedby="enrol-error"` : '';
  const body = html`<h1>${t.enrolTitle}</h1>
<p class="lead">${t.enrolLead(email)}</p>
<img class="qr" src="${qrDataUrl}" alt="${t.qrAlt}">
<p>${t.cannotScan}</p>
<p class="secret" id="secret"><strong>${secret}</strong></p>
${error ? html`<p class="alert" role="alert" id="enrol-error">${error}</p>` : ''}
<form method="post" action="${actions.confirm}">
${hiddenFields({ csrf })}<div class="field">
<label for="code">${t.codeLabel}</label>
<input name="code" id="code" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]*" maxlength="8" required${invalid}>
</div>
<div class="actions">
<button type="submit">${t.turnOn}</button>
</div>
</form>
<p class="muted"><a href="${actions.account}">${t.backToAccount}</a></p>`;
  return page({ ...options, title: t.enrolTitle, body });
}

/** The recovery codes, shown once right after they were made. */
export function recoveryCodesPage(
  options: PageContext & { codes: readonly string[]; actions: OneTimeCodeActions },
): string {
  const t = textsOf(options).account.oneTimeCodes;
  const items = options.codes.map((code) => html`<li>${code}</li>`);
  const body = html`<h1>${t.recoveryTitle}</h1>
<p class="lead">${t.recoveryLead}</p>
<ul class="codes" id="recovery-codes" aria-label="${t.recoveryList}">
${items}
</ul>
<p><a href="${options.actions.settings}">${t.done}</a></p>`;
  return page({ ...options, title: t.recoveryTitle, body });
}

const COUNT = '\u0000';

/** The state of a person's one-time codes, with the ways to change it. */
export function oneTimeCodesStatusPage(
  options: PageContext & {
    remaining: number;
    csrf: string;
    actions: OneTimeCodeActions;
    notice?: string;
  },
): string {
  const { remaining, csrf, actions, notice } = options;
  const t = textsOf(options).account.oneTimeCodes;
  // The count is marked up inside the sentence, wherever each language puts it.
  const [before = '', after = ''] = t.remaining(COUNT).split(COUNT);
  const body = html`<h1>${t.statusTitle}</h1>
${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}
<p class="lead">${t.statusLead}</p>
<p>${before}<strong id="remaining">${remaining}</strong>${after}</p>
<form method="post" action="${actions.recoveryCodes}">
${hiddenFields({ csrf })}<div class="actions"><button type="submit" class="secondary">${t.newRecoveryCodes}</button></div>
</form>
<form method="post" action="${actions.remove}">
${hiddenFields({ csrf })}<div class="actions"><button type="submit" class="secondary">${t.turnOff}</button></div>
</form>
<p><a href="${actions.account}">${t.backToAccount}</a></p>`;
  return page({ ...options, title: t.statusTitle, body });
}

/**
 * Changing the second factor needs a fresh sign-in: the password again (and the current code
 * when one-time codes are on), so that a browser left signed in cannot turn them off.
 */
export function confirmIdentityPage(
  options: PageContext & {
    email?: string;
    askCode: boolean;
    csrf: string;
    actions: OneTimeCodeActions;
    error?: string;
  },
): string {
  const { email, askCode, csrf, actions, error } = options;
  const t = textsOf(options).account.oneTimeCodes;
  const body = html`<h1>${t.confirmTitle}</h1>
<p class="lead">${t.confirmLead(askCode)}</p>
${error ? html`<p class="alert" role="alert">${error}</p>` : ''}
<form method="post" action="${actions.confirmIdentity}">
${hiddenFields({ csrf })}<div class="field">
<label for="username">${t.email}</label>
<input name="username" id="username" type="text" inputmode="email" autocomplete="username" autocapitalize="none" spellcheck="false" required value="${email ?? ''}"${email ? html` readonly` : ''}>
</div>
<div class="field">
<label for="password">${t.password}</label>
<input type="password" name="password" id="password" autocomplete="current-password" required autofocus>
</div>
${
  askCode
    ? html`<div class="field">
<label for="code">${t.codeOrRecovery}</label>
<input name="code" id="code" type="text" autocomplete="one-time-code" autocapitalize="none" spellcheck="false" maxlength="20">
</div>`
    : ''
}<div class="actions">
<button type="submit">${t.continue}</button>
</div>
</form>`;
  return page({ ...options, title: t.confirmTitle, body });
}
