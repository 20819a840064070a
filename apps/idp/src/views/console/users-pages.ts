import type { BrowserSessionRecord, UserAccount } from '@idp/oidc';
import { consoleMessages } from '../../i18n/index.js';
import { html, type SafeHtml } from '../html.js';
import { consolePage, csrfField, problemList, when, type ConsoleFrame } from './console-layout.js';

const userHref = (user: Pick<UserAccount, 'id'>) => `/admin/users/${encodeURIComponent(user.id)}`;

function status(user: UserAccount, frame: ConsoleFrame): SafeHtml {
  const t = consoleMessages(frame.locale).users;
  return html`<span class="badge">${user.disabled ? t.disabled : t.enabled}</span>${user.admin ? html` <span class="badge">${t.administrator}</span>` : ''}`;
}

export function usersListPage(options: {
  frame: ConsoleFrame;
  users: readonly UserAccount[];
  search: string;
  nextHref: string | null;
}): string {
  const { frame, users, search, nextHref } = options;
  const t = consoleMessages(frame.locale);
  return consolePage({
    title: t.users.title,
    section: 'users',
    frame,
    body: html`<form method="get" action="/admin/users" class="row" role="search">
<div class="field"><label for="search">${t.users.searchLabel}</label><input id="search" name="search" value="${search}"></div>
<button type="submit">${t.common.search}</button>
<a href="/admin/users/new">${t.users.add}</a>
</form>
<table>
<caption class="muted">${users.length === 0 ? t.users.none : t.users.shown(users.length)}</caption>
<thead><tr><th scope="col">${t.users.email}</th><th scope="col">${t.users.name}</th><th scope="col">${t.users.status}</th><th scope="col">${t.users.created}</th></tr></thead>
<tbody>${users.map(
      (u) =>
        html`<tr><td><a href="${userHref(u)}">${u.email}</a></td><td>${u.claims.name ?? ''}</td><td>${status(u, frame)}</td><td>${when(u.createdAt)}</td></tr>`,
    )}</tbody>
</table>
${nextHref ? html`<p><a href="${nextHref}" rel="next">${t.common.nextPage}</a></p>` : ''}`,
  });
}

export function newUserPage(options: {
  frame: ConsoleFrame;
  values: { email: string; name: string };
  problems: readonly { path: string; message: string }[];
}): string {
  const { frame, values, problems } = options;
  const t = consoleMessages(frame.locale).users;
  return consolePage({
    title: t.newTitle,
    section: 'users',
    frame,
    body: html`${problemList(problems, frame.locale)}<form method="post" action="/admin/users/new">
${csrfField(frame)}
<div class="field"><label for="email">${t.emailLabel}</label><input id="email" name="email" type="email" required autocomplete="off" value="${values.email}"></div>
<div class="field"><label for="name">${t.nameLabel}</label><input id="name" name="name" autocomplete="off" value="${values.name}"></div>
<div class="field"><label for="password">${t.passwordLabel}</label><input id="password" name="password" type="password" required autocomplete="new-password"></div>
<div class="actions"><button type="submit">${t.addButton}</button></div>
</form>`,
  });
}

/** A user's live sessions, each with a way to end it. */
export function sessionsTable(
  user: UserAccount,
  sessions: readonly BrowserSessionRecord[],
  frame: ConsoleFrame,
): SafeHtml {
  const t = consoleMessages(frame.locale);
  if (sessions.length === 0) return html`<p class="muted">${t.users.noSessions}</p>`;
  return html`<table>
<thead><tr><th scope="col">${t.users.session}</th><th scope="col">${t.users.signedIn}</th><th scope="col">${t.users.expires}</th><th scope="col">${t.users.methods}</th><th scope="col"><span class="muted">${t.common.action}</span></th></tr></thead>
<tbody>${sessions.map(
    (s) =>
      html`<tr><td><code>${s.id.slice(0, 16)}</code></td><td>${when(s.authTime)}</td><td>${when(s.expiresAt)}</td><td>${s.amr.join(', ')}</td><td><a href="${userHref(user)}/sessions/${encodeURIComponent(s.id)}/end">${t.users.endLink}</a></td></tr>`,
  )}</tbody>
</table>
<p><a href="${userHref(user)}/revoke-sessions">${t.users.endAll}</a></p>`;
}

export function userPage(options: {
  frame: ConsoleFrame;
  user: UserAccount;
  sessions: readonly BrowserSessionRecord[];
  factors: { oneTimeCodes: boolean; passkeys: number };
  notice?: string;
}): string {
  const { frame, user, sessions, factors, notice } = options;
  const t = consoleMessages(frame.locale).users;
  const factorList = [
    ...(factors.oneTimeCodes ? [t.oneTimeCodes] : []),
    ...(factors.passkeys > 0 ? [t.passkeys(factors.passkeys)] : []),
  ];
  const post = (path: string, label: string, cls = '') =>
    html`<form method="post" action="${userHref(user)}/${path}" class="inline">${csrfField(frame)}<button type="submit"${cls ? html` class="${cls}"` : ''}>${label}</button></form>`;
  return consolePage({
    title: user.email,
    section: 'users',
    frame,
    body: html`${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}<p><a href="/admin/users">${t.all}</a></p>
<table>
<tbody>
<tr><th scope="row">sub</th><td><code>${user.id}</code></td></tr>
<tr><th scope="row">${t.status}</th><td>${status(user, frame)}</td></tr>
<tr><th scope="row">${t.created}</th><td>${when(user.createdAt)}</td></tr>
<tr><th scope="row">${t.factors}</th><td>${factorList.length > 0 ? factorList.join(', ') : t.noFactors}</td></tr>
<tr><th scope="row">${t.claims}</th><td><pre>${JSON.stringify(user.claims, null, 2)}</pre></td></tr>
</tbody>
</table>
<div class="row">
${user.disabled ? post('enable', t.enable) : html`<a href="${userHref(user)}/disable">${t.disableLink}</a>`}
${post('unlock', t.unlock, 'secondary')}
<a href="${userHref(user)}/reset-factors">${t.resetFactorsLink}</a>
</div>
<p class="hint">${t.adminHint(user.email)}</p>
<h2>${t.liveSessions}</h2>
${sessionsTable(user, sessions, frame)}`,
  });
}
