import { html } from '../html.js';
import { accountTexts, postForm, section, type SectionContext } from './account-view.js';

export const EMAIL_PATH = '/account/email';

export interface EmailSectionOptions {
  /** The account's address and whether it is confirmed (`email_verified`). */
  readonly email: string;
  readonly verified: boolean;
  /** Whether the server sends e-mail (IDP_SMTP_URL): without it there is no form. */
  readonly canMail: boolean;
  /** The address typed last time, and why it was refused, by field. */
  readonly typed?: string | undefined;
  readonly problem?: { readonly field: 'email' | 'current'; readonly message: string } | undefined;
}

/** The address, its state, and the change form: new address and current password (i18n `account.email`). */
export function emailSection(context: SectionContext, options: EmailSectionOptions) {
  const t = accountTexts(context).email;
  const { problem } = options;
  const state = options.verified ? t.verified : t.unverified;
  const current = html`<p>${t.current}: <strong id="email-current">${options.email}</strong> (<span id="email-state">${state}</span>)</p>`;
  if (!options.canMail)
    return {
      id: 'email',
      title: t.title,
      html: section('email', t.title, html`${current}\n<p class="section-lead">${t.noMail}</p>`),
    };
  const error = (field: 'email' | 'current') =>
    problem?.field === field
      ? html`<p class="field-error" id="email-${field}-error">${problem.message}</p>\n`
      : '';
  const marked = (field: 'email' | 'current') =>
    problem?.field === field
      ? html` aria-invalid="true" aria-describedby="email-${field}-error" autofocus`
      : '';
  const form = html`<input type="hidden" name="username" autocomplete="username" value="${options.email}">
<div class="field">
<label for="email-new">${t.newAddress}</label>
<input type="email" id="email-new" name="email" autocomplete="email" maxlength="320" required value="${options.typed ?? ''}"${marked('email')}>
${error('email')}</div>
<div class="field">
<label for="email-password">${t.currentPassword}</label>
<input type="password" id="email-password" name="current_password" autocomplete="current-password" required${marked('current')}>
${error('current')}</div>
<div class="actions inline"><button type="submit">${t.submit}</button></div>`;
  return {
    id: 'email',
    title: t.title,
    html: section(
      'email',
      t.title,
      html`${current}\n<p class="section-lead">${t.lead}</p>\n${postForm(EMAIL_PATH, context, form)}`,
    ),
  };
}
