import { hiddenFields } from './hidden-fields.js';
import { html } from './html.js';
import { page } from './layout.js';

/** Where the one-time-code settings live (`/account/one-time-codes` and its forms). */
export interface OneTimeCodeActions {
  readonly confirm: string;
  readonly remove: string;
  readonly recoveryCodes: string;
  readonly confirmIdentity: string;
}

/** The enrolment: the QR code, the typed secret, and the form that confirms both with a code. */
export function enrolOneTimeCodesPage(options: {
  qrDataUrl: string;
  secret: string;
  email: string;
  csrf: string;
  actions: OneTimeCodeActions;
  error?: string;
}): string {
  const { qrDataUrl, secret, email, csrf, actions, error } = options;
  const invalid = error ? html` aria-invalid="true" aria-describedby="enrol-error"` : '';
  const body = html`<h1>Set up one-time codes</h1>
<p class="lead">Scan this QR code with an authenticator app (for ${email}), then type the six-digit code it shows.</p>
<img class="qr" src="${qrDataUrl}" alt="QR code for your authenticator app; the same key is written below">
<p>Can't scan it? Enter this key in the app instead:</p>
<p class="secret" id="secret"><strong>${secret}</strong></p>
${error ? html`<p class="alert" role="alert" id="enrol-error">${error}</p>` : ''}
<form method="post" action="${actions.confirm}">
${hiddenFields({ csrf })}<div class="field">
<label for="code">Code from the app</label>
<input name="code" id="code" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]*" maxlength="8" required${invalid}>
</div>
<div class="actions">
<button type="submit">Turn on one-time codes</button>
</div>
</form>`;
  return page({ title: 'Set up one-time codes', body });
}

/** The recovery codes, shown once right after they were made. */
export function recoveryCodesPage(options: { codes: readonly string[] }): string {
  const items = options.codes.map((code) => html`<li>${code}</li>`);
  const body = html`<h1>Save your recovery codes</h1>
<p class="lead">One-time codes are on. If you lose your phone, each of these codes signs you in once instead of a one-time code. Keep them somewhere safe: they are shown only now.</p>
<ul class="codes" id="recovery-codes">
${items}
</ul>
<p><a href="/account/one-time-codes">Done</a></p>`;
  return page({ title: 'Save your recovery codes', body });
}

/** The state of a person's one-time codes, with the ways to change it. */
export function oneTimeCodesStatusPage(options: {
  remaining: number;
  csrf: string;
  actions: OneTimeCodeActions;
  notice?: string;
}): string {
  const { remaining, csrf, actions, notice } = options;
  const body = html`<h1>One-time codes</h1>
${notice ? html`<p class="alert" role="status">${notice}</p>` : ''}
<p class="lead">One-time codes are on: signing in asks for a code from your authenticator app after your password.</p>
<p>You have <strong id="remaining">${remaining}</strong> unused recovery codes.</p>
<form method="post" action="${actions.recoveryCodes}">
${hiddenFields({ csrf })}<div class="actions"><button type="submit" class="secondary">Make new recovery codes</button></div>
</form>
<form method="post" action="${actions.remove}">
${hiddenFields({ csrf })}<div class="actions"><button type="submit" class="secondary">Turn off one-time codes</button></div>
</form>`;
  return page({ title: 'One-time codes', body });
}

/**
 * Changing the second factor needs a fresh sign-in: the password again (and the current code
 * when one-time codes are on), so that a browser left signed in cannot turn them off.
 */
export function confirmIdentityPage(options: {
  email?: string;
  askCode: boolean;
  csrf: string;
  actions: OneTimeCodeActions;
  error?: string;
}): string {
  const { email, askCode, csrf, actions, error } = options;
  const body = html`<h1>Confirm it's you</h1>
<p class="lead">Changing one-time codes needs a recent sign-in. Enter your password${askCode ? ' and a one-time code' : ''}.</p>
${error ? html`<p class="alert" role="alert">${error}</p>` : ''}
<form method="post" action="${actions.confirmIdentity}">
${hiddenFields({ csrf })}<div class="field">
<label for="username">Email</label>
<input name="username" id="username" type="text" inputmode="email" autocomplete="username" autocapitalize="none" spellcheck="false" required value="${email ?? ''}"${email ? html` readonly` : ''}>
</div>
<div class="field">
<label for="password">Password</label>
<input type="password" name="password" id="password" autocomplete="current-password" required autofocus>
</div>
${
  askCode
    ? html`<div class="field">
<label for="code">One-time code or recovery code</label>
<input name="code" id="code" type="text" autocomplete="one-time-code" autocapitalize="none" spellcheck="false" maxlength="20">
</div>`
    : ''
}<div class="actions">
<button type="submit">Continue</button>
</div>
</form>`;
  return page({ title: "Confirm it's you", body });
}
