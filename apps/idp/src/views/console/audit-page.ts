import type { AuditEventView } from '@idp/oidc';
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
  const field = (name: keyof AuditFilters, label: string, type = 'text', hint = '') =>
    html`<div class="field"><label for="${name}">${label}</label><input id="${name}" name="${name}" type="${type}" value="${filters[name]}"${hint ? html` placeholder="${hint}"` : ''}></div>`;
  return consolePage({
    title: 'Audit trail',
    section: 'audit',
    frame,
    body: html`${problem ? html`<p class="alert" role="alert">${problem}</p>` : ''}<form method="get" action="/admin/audit" class="row" role="search">
${field('type', 'Type', 'text', 'client.updated')}
${field('user', 'User (email or sub)')}
${field('client', 'Client (client_id)')}
${field('actor', 'Actor', 'text', 'cli, user:<sub>')}
${field('since', 'From (UTC)', 'datetime-local')}
${field('until', 'Before (UTC)', 'datetime-local')}
<button type="submit">Filter</button>
<a href="/admin/audit">Clear</a>
</form>
<table>
<caption class="muted">${events.length === 0 ? 'No events match.' : `${events.length} shown, newest first`}</caption>
<thead><tr><th scope="col">When</th><th scope="col">Type</th><th scope="col">Actor</th><th scope="col">User</th><th scope="col">Client</th><th scope="col">Details</th></tr></thead>
<tbody>${events.map(
      (e) =>
        html`<tr><td class="nowrap">${when(e.at)}</td><td class="nowrap"><code>${e.type}</code></td><td>${e.actor}</td><td>${e.userId ? html`<a href="/admin/users/${encodeURIComponent(e.userId)}">${e.userId.slice(0, 8)}…</a>` : ''}</td><td class="nowrap">${e.clientId}</td><td><code>${Object.keys(e.data).length > 0 ? JSON.stringify(e.data) : ''}</code></td></tr>`,
    )}</tbody>
</table>
${nextHref ? html`<p><a href="${nextHref}" rel="next">Older events</a></p>` : ''}`,
  });
}
