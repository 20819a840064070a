import type { ActiveSession } from '@idp/oidc';
import { consoleMessages } from '../../i18n/index.js';
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
  const t = consoleMessages(frame.locale);
  const rows = sessions.map(
    (s) =>
      html`<tr><td><a href="/admin/users/${encodeURIComponent(s.userId)}">${s.userEmail}</a></td><td class="nowrap">${when(s.createdAt)}</td><td class="nowrap">${when(s.lastSeenAt)}</td><td>${s.clientIds.length > 0 ? s.clientIds.map((id, i) => html`${i > 0 ? ', ' : ''}<a href="/admin/clients/${encodeURIComponent(id)}">${id}</a>`) : html`<span class="muted">${t.sessions.noClients}</span>`}</td><td>${s.amr.join(', ')}</td><td><a href="/admin/sessions/${encodeURIComponent(s.id)}/end" aria-label="${t.sessions.endLabel(s.userEmail, when(s.createdAt))}">${t.sessions.end}</a></td></tr>`,
  );
  return consolePage({
    title: t.sessions.title,
    section: 'sessions',
    frame,
    body: html`${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}${problem ? html`<p class="alert" role="alert">${problem}</p>` : ''}
<form method="get" action="/admin/sessions" class="row" role="search">
<div class="field"><label for="email">${t.sessions.userLabel}</label><input id="email" name="email" type="email" value="${filters.email}"></div>
<div class="field"><label for="client">${t.sessions.clientLabel}</label><input id="client" name="client" value="${filters.client}"></div>
<button type="submit">${t.common.filter}</button>
<a href="/admin/sessions">${t.common.clear}</a>
</form>
<table>
<caption class="muted">${sessions.length === 0 ? t.sessions.none : t.sessions.shown(sessions.length)}</caption>
<thead><tr><th scope="col">${t.sessions.user}</th><th scope="col">${t.sessions.started}</th><th scope="col">${t.sessions.lastSeen}</th><th scope="col">${t.sessions.clients}</th><th scope="col">${t.sessions.methods}</th><th scope="col"><span class="muted">${t.common.action}</span></th></tr></thead>
<tbody>${rows}</tbody>
</table>
${nextHref ? html`<p><a href="${nextHref}" rel="next">${t.sessions.older}</a></p>` : ''}`,
  });
}
