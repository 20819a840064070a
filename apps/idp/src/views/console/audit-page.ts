import type { AuditEventView } from '@idp/oidc';
import { consoleMessages } from '../../i18n/index.js';
import { html } from '../html.js';
import { consolePage, when, type ConsoleFrame } from './console-layout.js';

/** The filters as typed, shown back in the form. */
export interface AuditFilters {
  type: string;
  user: string;
  client: string;
  actor: string;
  since: string;
  until: string;
}

export function auditPage(options: {
  frame: ConsoleFrame;
  filters: AuditFilters;
  events: readonly AuditEventView[];
  nextHref: string | null;
  problem?: string;
}): string {
  const { frame, filters, events, nextHref, problem } = options;
  const t = consoleMessages(frame.locale);
  const field = (name: keyof AuditFilters, label: string, type = 'text', hint = '') =>
    html`<div class="field"><label for="${name}">${label}</label><input id="${name}" name="${name}" type="${type}" value="${filters[name]}"${hint ? html` placeholder="${hint}"` : ''}></div>`;
  return consolePage({
    title: t.audit.title,
    section: 'audit',
    frame,
    body: html`${problem ? html`<p class="alert" role="alert">${problem}</p>` : ''}<form method="get" action="/admin/audit" class="row" role="search">
${field('type', t.audit.type, 'text', 'client.updated')}
${field('user', t.audit.user)}
${field('client', t.audit.client)}
${field('actor', t.audit.actor, 'text', 'cli, user:<sub>')}
${field('since', t.audit.since, 'datetime-local')}
${field('until', t.audit.until, 'datetime-local')}
<button type="submit">${t.common.filter}</button>
<a href="/admin/audit">${t.common.clear}</a>
</form>
<table>
<caption class="muted">${events.length === 0 ? t.audit.none : t.audit.shown(events.length)}</caption>
<thead><tr><th scope="col">${t.audit.when}</th><th scope="col">${t.audit.type}</th><th scope="col">${t.audit.actor}</th><th scope="col">${t.audit.userColumn}</th><th scope="col">${t.audit.clientColumn}</th><th scope="col">${t.audit.details}</th></tr></thead>
<tbody>${events.map(
      (e) =>
        html`<tr><td class="nowrap">${when(e.at)}</td><td class="nowrap"><code>${e.type}</code></td><td>${e.actor}</td><td>${e.userId ? html`<a href="/admin/users/${encodeURIComponent(e.userId)}">${e.userId.slice(0, 8)}…</a>` : ''}</td><td class="nowrap">${e.clientId}</td><td><code>${Object.keys(e.data).length > 0 ? JSON.stringify(e.data) : ''}</code></td></tr>`,
    )}</tbody>
</table>
${nextHref ? html`<p><a href="${nextHref}" rel="next">${t.audit.older}</a></p>` : ''}`,
  });
}
