import type { ActiveSession } from '@idp/oidc';
import { html } from '../html.js';
import { consolePage, when, type ConsoleFrame } from './console-layout.js';

/** The filters as typed, shown back in the form. */
export interface SessionFilters {
  readonly email: string;
  readonly client: string;
}

/** Every live browser session of the server, newest first, each with a way to end it. */
export function sessionsPage(options: {
  frame: ConsoleFrame;
  filters: SessionFilters;
  sessions: readonly ActiveSession[];
  nextHref: string | null;
  notice?: string;
  problem?: string;
}): string {
  const { frame, filters, sessions, nextHref, notice, problem } = options;
  const rows = sessions.map(
    (s) =>
      html`<tr><td><a href="/admin/users/${encodeURIComponent(s.userId)}">${s.userEmail}</a></td><td class="nowrap">${when(s.createdAt)}</td><td class="nowrap">${when(s.lastSeenAt)}</td><td>${s.clientIds.length > 0 ? s.clientIds.map((id, i) => html`${i > 0 ? ', ' : ''}<a href="/admin/clients/${encodeURIComponent(id)}">${id}</a>`) : html`<span class="muted">none yet</span>`}</td><td>${s.amr.join(', ')}</td><td><a href="/admin/sessions/${encodeURIComponent(s.id)}/end" aria-label="End the session of ${s.userEmail} started ${when(s.createdAt)}">End…</a></td></tr>`,
  );
  return consolePage({
    title: 'Sessions',
    section: 'sessions',
    frame,
    body: html`${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}${problem ? html`<p class="alert" role="alert">${problem}</p>` : ''}
<form method="get" action="/admin/sessions" class="row" role="search">
<div class="field"><label for="email">User (email)</label><input id="email" name="email" type="email" value="${filters.email}"></div>
<div class="field"><label for="client">Client (client_id)</label><input id="client" name="client" value="${filters.client}"></div>
<button type="submit">Filter</button>
<a href="/admin/sessions">Clear</a>
</form>
<table>
<caption class="muted">${sessions.length === 0 ? 'No live sessions match.' : `${sessions.length} live sessions shown, newest first (times in UTC)`}</caption>
<thead><tr><th scope="col">User</th><th scope="col">Started</th><th scope="col">Last seen</th><th scope="col">Clients</th><th scope="col">Methods</th><th scope="col"><span class="muted">Action</span></th></tr></thead>
<tbody>${rows}</tbody>
</table>
${nextHref ? html`<p><a href="${nextHref}" rel="next">Older sessions</a></p>` : ''}`,
  });
}
