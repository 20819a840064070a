import type { PasskeyRecord } from '@idp/oidc';
import { hiddenFields } from '../hidden-fields.js';
import { html, type SafeHtml } from '../html.js';
import { passkeyForm } from '../passkey-form.js';
import { accountTexts, section } from './account-view.js';
import type { Locale } from '../../i18n/index.js';

/** Where the section's forms go (routes/account/passkeys.ts). */
export interface PasskeysSectionOptions {
  /** The reader's language (i18n `account.passkeys`). */
  readonly locale: Locale;
  readonly passkeys: readonly PasskeyRecord[];
  readonly csrf: string;
  /** Whether the sign-in is fresh enough to add one; else a button leads through sign-in again. */
  readonly canAdd: boolean;
  /** The section's id, which the page's contents link to; `passkeys` when omitted. */
  readonly id?: string;
  readonly paths: {
    readonly options: string;
    readonly add: string;
    readonly rename: string;
    readonly remove: string;
    /** Sign in again and come back (when `canAdd` is false): a GET form and its fields. */
    readonly reauth: { readonly action: string; readonly fields: Readonly<Record<string, string>> };
  };
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function passkeyItem(passkey: PasskeyRecord, options: PasskeysSectionOptions): SafeHtml {
  const { csrf, paths } = options;
  const t = accountTexts(options).passkeys;
  const fields = { csrf, credential_id: passkey.credentialId };
  const inputId = `passkey-name-${passkey.credentialId}`;
  const nameId = `key-${passkey.credentialId}`;
  const used = passkey.lastUsedAt === null ? t.neverUsed : t.lastUsed(day(passkey.lastUsedAt));
  const synced = passkey.backedUp ? `, ${t.synced}` : '';
  return html`<li>
<p><strong id="${nameId}">${passkey.name}</strong><br><span class="muted">${t.added(day(passkey.createdAt))}, ${used}${synced}</span></p>
<form method="post" action="${paths.rename}">
${hiddenFields(fields)}<div class="field">
<label for="${inputId}">${t.newName}</label>
<input id="${inputId}" name="name" maxlength="64" required value="${passkey.name}">
</div>
<div class="actions"><button type="submit">${t.rename}</button></div>
</form>
<form method="post" action="${paths.remove}">
${hiddenFields(fields)}<div class="actions"><button type="submit" name="decision" value="deny" aria-describedby="${nameId}">${t.remove}</button></div>
</form>
</li>`;
}

/** The passkeys section of the account page: the list (rename, remove) and "Add a passkey". */
export function passkeysSection(options: PasskeysSectionOptions): SafeHtml {
  const { passkeys, csrf, canAdd, paths } = options;
  const t = accountTexts(options).passkeys;
  const list =
    passkeys.length === 0
      ? html`<p>${t.none}</p>`
      : html`<ul class="scopes" id="passkey-list">
${passkeys.map((p) => passkeyItem(p, options))}
</ul>`;
  const add = canAdd
    ? passkeyForm({
        ceremony: 'registration',
        label: t.add,
        locale: options.locale,
        optionsUrl: paths.options,
        action: paths.add,
        fields: { csrf },
        extra: html`<div class="field">
<label for="new-passkey-name">${t.nameLabel}</label>
<input id="new-passkey-name" name="name" maxlength="64">
</div>
`,
      })
    : html`<form method="get" action="${paths.reauth.action}">
${hiddenFields(paths.reauth.fields)}<div class="actions"><button type="submit">${t.reauth}</button></div>
</form>`;
  return section(
    options.id ?? 'passkeys',
    t.title,
    html`<p class="section-lead">${t.intro}</p>
${list}
${add}`,
  );
}
