import { hiddenFields } from './hidden-fields.js';
import { html } from './html.js';
import { page } from './layout.js';
import { PASSKEY_PAGE_SCRIPTS, passkeyForm, type PasskeyFormOptions } from './passkey-form.js';
import { textsOf, type PageContext } from './page-context.js';

/** What the login page shows and where its form goes. */
export interface LoginPageOptions extends PageContext {
  /** The client's display name, shown as "to continue to …". */
  clientName: string;
  /** Prefills the username (the OIDC `login_hint`, or what the person typed before an error). */
  loginHint?: string;
  /** Why the last attempt failed, in plain words; marks both fields invalid. */
  error?: string;
  /** Opaque interaction id, posted back as `interaction`. */
  interaction: string;
  /** CSRF token, posted back as `csrf`. */
  csrf: string;
  /** URL the form posts to. */
  action: string;
  /** The password-reset page, with the way back here. */
  forgotPasswordHref?: string;
  /** The sign-up page, when people may create their own account (IDP_SELF_REGISTRATION). */
  signUpHref?: string;
  /**
   * Signing in with a passkey instead (a discoverable credential, no username), and in the
   * username field's autofill unless `autofill` is false. The hidden fields default to the
   * interaction and CSRF token.
   */
  passkey?: Omit<PasskeyFormOptions, 'ceremony' | 'label' | 'fields'>;
  /** The hidden fields of both forms, instead of `interaction` and `csrf` (the account sign-in). */
  fields?: Readonly<Record<string, string>>;
  /** The page's heading line under "Sign in"; "to continue to <client>" by default. */
  lead?: string;
}

const ERROR_ID = 'login-error';

/**
 * The sign-in page: a form posting `username`, `password`, `interaction` and `csrf` to
 * `action`. Field names and `autocomplete` values are a contract with password managers and
 * the black-box tests.
 */
export function loginPage(options: LoginPageOptions): string {
  const { clientName, loginHint = '', error, interaction, csrf, action } = options;
  const t = textsOf(options).login;
  const { forgotPasswordHref, signUpHref, passkey } = options;
  const hidden = options.fields ?? { interaction, csrf };
  // Screen readers hear the error when they land on a field; the alert announces it on load.
  const invalid = error ? html` aria-invalid="true" aria-describedby="${ERROR_ID}"` : '';
  // Focus where typing starts: the password when the username is already known.
  const focusUsername = loginHint ? '' : html` autofocus`;
  const focusPassword = loginHint ? html` autofocus` : '';
  const body = html`<h1>${t.title}</h1>
<p class="lead">${options.lead ?? html`${t.lead} <strong>${clientName}</strong>`}</p>
${error ? html`<p class="alert" role="alert" id="${ERROR_ID}">${error}</p>` : ''}
<form method="post" action="${action}">
${hiddenFields(hidden)}<div class="field">
<label for="username">${t.email}</label>
<input name="username" autocomplete="username" id="username" type="text" inputmode="email" autocapitalize="none" spellcheck="false" required value="${loginHint}"${focusUsername}${invalid}>
</div>
<div class="field">
<label for="password">${t.password}</label>
<input type="password" name="password" autocomplete="current-password" required id="password"${focusPassword}${invalid}>
</div>
<div class="actions">
<button type="submit">${t.submit}</button>
</div>
</form>
${
  passkey
    ? passkeyForm({
        ...passkey,
        ceremony: 'authentication',
        label: t.passkey,
        ...(options.locale ? { locale: options.locale } : {}),
        fields: hidden,
        autofill: passkey.autofill ?? true,
      })
    : ''
}
${forgotPasswordHref ? html`<p class="muted"><a href="${forgotPasswordHref}">${t.forgot}</a></p>` : ''}
${signUpHref ? html`<p class="muted">${t.signUpLead} <a href="${signUpHref}">${t.signUp}</a></p>` : ''}`;
  return page({
    ...options,
    title: t.pageTitle(clientName),
    body,
    ...(passkey ? { scripts: PASSKEY_PAGE_SCRIPTS } : {}),
  });
}
