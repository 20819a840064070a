import type { PasskeyRecord } from '@idp/oidc';
import { hiddenFields } from '../hidden-fields.js';
import { html, type SafeHtml } from '../html.js';
import { passkeyForm } from '../passkey-form.js';
import { section } from './account-view.js';

/** Where the section's forms go (routes/account/passkeys.ts). */
export interface PasskeysSectionOptions {
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

export const PASSKEY_TEXTS = {
  heading: 'Passkeys',
  intro:
    'A passkey signs you in with your fingerprint, face, or device PIN instead of your password.',
  none: 'You have no passkeys yet.',
  add: 'Add a passkey',
  reauth: 'Sign in again to add a passkey',
  nameLabel: 'Name for the new passkey (optional)',
} as const;

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function passkeyItem(passkey: PasskeyRecord, options: PasskeysSectionOptions): SafeHtml {
  const { csrf, paths } = options;
  const fields = { csrf, credential_id: passkey.credentialId };
  const inputId = `passkey-name-${passkey.credentialId}`;
  const nameId = `key-${passkey.credentialId}`;
  const used = passkey.lastUsedAt === null ? 'never used' : `last used ${day(passkey.lastUsedAt)}`;
  const synced = passkey.backedUp ? ', synced' : '';
  return html`<li>
<p><strong id="${nameId}">${passkey.name}</strong><br><span class="muted">Added ${day(passkey.createdAt)}, ${used}${synced}</span></p>
<form method="post" action="${paths.rename}">
${hiddenFields(fields)}<div class="field">
<label for="${inputId}">New name</label>
<input id="${inputId}" name="name" maxlength="64" required value="${passkey.name}">
</div>
<div class="actions"><button type="submit">Rename</button></div>
</form>
<form method="post" action="${paths.remove}">
${hiddenFields(fields)}<div class="actions"><button type="submit" name="decision" value="deny" aria-describedby="${nameId}">Remove</button></div>
</form>
</li>`;
}

/** The passkeys section of the account page: the list (rename, remove) and "Add a passkey". */
export function passkeysSection(options: PasskeysSectionOptions): SafeHtml {
  const { passkeys, csrf, canAdd, paths } = options;
  const list =
    passkeys.length === 0
      ? html`<p class="muted">${PASSKEY_TEXTS.none}</p>`
      : html`<ul class="scopes" id="passkey-list">
${passkeys.map((p) => passkeyItem(p, options))}
</ul>`;
  const add = canAdd
    ? passkeyForm({
        ceremony: 'registration',
        label: PASSKEY_TEXTS.add,
        optionsUrl: paths.options,
        action: paths.add,
        fields: { csrf },
        extra: html`<div class="field">
<label for="new-passkey-name">${PASSKEY_TEXTS.nameLabel}</label>
<input id="new-passkey-name" name="name" maxlength="64">
</div>
`,
      })
    : html`<form method="get" action="${paths.reauth.action}">
${hiddenFields(paths.reauth.fields)}<div class="actions"><button type="submit">${PASSKEY_TEXTS.reauth}</button></div>
</form>`;
  return section(
    options.id ?? 'passkeys',
    PASSKEY_TEXTS.heading,
    html`<p class="muted">${PASSKEY_TEXTS.intro}</p>
${list}
${add}`,
  );
}
