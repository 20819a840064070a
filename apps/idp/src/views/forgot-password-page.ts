import { emailField } from './email-field.js';
import { hiddenFields } from './hidden-fields.js';
import { html } from './html.js';
import { page } from './layout.js';
import { textsOf, type PageContext } from './page-context.js';

/** The words are `forgotPassword` in i18n/en.ts. */
export interface ForgotPasswordPageOptions extends PageContext {
  csrf: string;
  action: string;
  /** The sealed way back to the login page, posted back as `resume`. */
  resume?: string;
  /** Link back to the login page. */
  backHref?: string;
  /** Prefills the address. */
  email?: string;
  /** Why the last attempt was refused, in plain words. */
  error?: string;
}

const ERROR_ID = 'forgot-error';

/** Asks for the address to send a password-reset link to; a plain form, no JavaScript needed. */
export function forgotPasswordPage(options: ForgotPasswordPageOptions): string {
  const t = textsOf(options).forgotPassword;
  const { csrf, action, resume, backHref, email = '', error } = options;
  const invalid = error ? html` aria-invalid="true" aria-describedby="${ERROR_ID}"` : '';
  const body = html`<h1>${t.title}</h1>
<p class="lead">${t.lead}</p>
${error ? html`<p class="alert" role="alert" id="${ERROR_ID}">${error}</p>` : ''}
<form method="post" action="${action}">
${hiddenFields({ csrf, ...(resume ? { resume } : {}) })}${emailField(t.email, email, invalid)}
<div class="actions">
<button type="submit">${t.submit}</button>
</div>
</form>
${backHref ? html`<p class="muted"><a href="${backHref}">${t.back}</a></p>` : ''}`;
  return page({ ...options, title: t.title, body });
}
