import { describeScope } from '../describe-scope.js';
import { html } from '../html.js';
import { postForm, section, type SectionContext } from './account-view.js';

export const REVOKE_APP_PATH = '/account/apps/revoke';

/** The words of the section, in one place for translation. */
export const APPS_TEXTS = {
  title: 'Connected applications',
  lead: 'Applications you allowed to use your account. Revoking one takes back what you allowed and signs it out; it asks again next time you use it.',
  none: 'You have not allowed any application yet.',
  canDo: 'Can:',
  revoke: 'Revoke',
  revokeLabel: (name: string) => `Revoke ${name}`,
} as const;

export interface ConnectedAppView {
  readonly clientId: string;
  readonly name: string;
  readonly scopes: readonly string[];
}

/** What the person granted each application (their consents), each with its own "Revoke". */
export function appsSection(context: SectionContext, apps: readonly ConnectedAppView[]) {
  const t = APPS_TEXTS;
  const items = apps.map(
    (app) => html`<li>
<div class="item-text">
<p class="item-title">${app.name}</p>
<p class="detail">${t.canDo} ${app.scopes.map((scope) => describeScope(scope)).join('; ')}</p>
</div>
${postForm(
  REVOKE_APP_PATH,
  context,
  html`<button type="submit" class="secondary" aria-label="${t.revokeLabel(app.name)}">${t.revoke}</button>`,
  { fields: { client_id: app.clientId }, className: 'item-form' },
)}
</li>
`,
  );
  return {
    id: 'apps',
    title: t.title,
    html: section(
      'apps',
      t.title,
      html`<p class="section-lead">${t.lead}</p>
${apps.length > 0 ? html`<ul class="items">\n${items}</ul>` : html`<p>${t.none}</p>`}`,
    ),
  };
}
