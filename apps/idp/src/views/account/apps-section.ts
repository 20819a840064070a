import { describeScope } from '../describe-scope.js';
import { html } from '../html.js';
import { accountTexts, postForm, section, type SectionContext } from './account-view.js';

export const REVOKE_APP_PATH = '/account/apps/revoke';

export interface ConnectedAppView {
  readonly clientId: string;
  readonly name: string;
  readonly scopes: readonly string[];
}

/** What the person granted each application (their consents), each with its own "Revoke" (i18n `account.apps`). */
export function appsSection(context: SectionContext, apps: readonly ConnectedAppView[]) {
  const t = accountTexts(context).apps;
  const items = apps.map(
    (app) => html`<li>
<div class="item-text">
<p class="item-title">${app.name}</p>
<p class="detail">${t.canDo} ${app.scopes.map((scope) => describeScope(scope, context)).join('; ')}</p>
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
