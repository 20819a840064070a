import type { BrowserSessionRecord, UserAccount } from '@idp/oidc';
import { html, type SafeHtml } from '../html.js';
import { consolePage, csrfField, problemList, when, type ConsoleFrame } from './console-layout.js';

const userHref = (user: Pick<UserAccount, 'id'>) => `/admin/users/${encodeURIComponent(user.id)}`;

function status(user: UserAccount): SafeHtml {
  return html`${user.disabled ? html`<span class="badge">disabled</span>` : html`<span class="badge">enabled</span>`}${user.admin ? html` <span class="badge">administrator</span>` : ''}`;
}

export function usersListPage(options: {
  frame: ConsoleFrame;
  users: readonly UserAccount[];
  search: string;
  nextHref: string | null;
}): string {
  const { frame, users, search, nextHref } = options;
  return consolePage({
    title: 'Users',
    section: 'users',
    frame,
    body: html`<form method="get" action="/admin/users" class="row" role="search">
<div class="field"><label for="search">Search by email, or an exact sub</label><input id="search" name="search" value="${search}"></div>
<button type="submit">Search</button>
<a href="/admin/users/new">Add a user</a>
</form>
<table>
<caption class="muted">${users.length === 0 ? 'No users match.' : `${users.length} shown, by email`}</caption>
<thead><tr><th scope="col">Email</th><th scope="col">Name</th><th scope="col">Status</th><th scope="col">Created</th></tr></thead>
<tbody>${users.map(
      (u) =>
        html`<tr><td><a href="${userHref(u)}">${u.email}</a></td><td>${u.claims.name ?? ''}</td><td>${status(u)}</td><td>${when(u.createdAt)}</td></tr>`,
    )}</tbody>
</table>
${nextHref ? html`<p><a href="${nextHref}" rel="next">Next page</a></p>` : ''}`,
  });
}

export function newUserPage(options: {
  frame: ConsoleFrame;
  values: { email: string; name: string };
  problems: readonly { path: string; message: string }[];
}): string {
  const { frame, values, problems } = options;
  return consolePage({
    title: 'Add a user',
    section: 'users',
    frame,
    body: html`${problemList(problems)}<form method="post" action="/admin/users/new">
${csrfField(frame)}
<div class="field"><label for="email">Email (the login name)</label><input id="email" name="email" type="email" required autocomplete="off" value="${values.email}"></div>
<div class="field"><label for="name">Full name</label><input id="name" name="name" autocomplete="off" value="${values.name}"></div>
<div class="field"><label for="password">Initial password</label><input id="password" name="password" type="password" required autocomplete="new-password"></div>
<div class="actions"><button type="submit">Add the user</button></div>
</form>`,
  });
}

/** A user's live sessions, each with a way to end it. */
export function sessionsTable(
  user: UserAccount,
  sessions: readonly BrowserSessionRecord[],
): SafeHtml {
  if (sessions.length === 0) return html`<p class="muted">No live sessions.</p>`;
  return html`<table>
<thead><tr><th scope="col">Session</th><th scope="col">Signed in</th><th scope="col">Expires</th><th scope="col">Methods</th><th scope="col"><span class="muted">Action</span></th></tr></thead>
<tbody>${sessions.map(
    (s) =>
      html`<tr><td><code>${s.id.slice(0, 16)}</code></td><td>${when(s.authTime)}</td><td>${when(s.expiresAt)}</td><td>${s.amr.join(', ')}</td><td><a href="${userHref(user)}/sessions/${encodeURIComponent(s.id)}/end">End…</a></td></tr>`,
  )}</tbody>
</table>
<p><a href="${userHref(user)}/revoke-sessions">End every session and revoke every token…</a></p>`;
}

export function userPage(options: {
  frame: ConsoleFrame;
  user: UserAccount;
  sessions: readonly BrowserSessionRecord[];
  factors: { oneTimeCodes: boolean; passkeys: number };
  notice?: string;
}): string {
  const { frame, user, sessions, factors, notice } = options;
  const factorList = [
    ...(factors.oneTimeCodes ? ['one-time codes'] : []),
    ...(factors.passkeys > 0 ? [`${factors.passkeys} passkey(s)`] : []),
  ];
  const post = (path: string, label: string, cls = '') =>
    html`<form method="post" action="${userHref(user)}/${path}" class="inline">${csrfField(frame)}<button type="submit"${cls ? html` class="${cls}"` : ''}>${label}</button></form>`;
  return consolePage({
    title: user.email,
    section: 'users',
    frame,
    body: html`${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}<p><a href="/admin/users">All users</a></p>
<table>
<tbody>
<tr><th scope="row">sub</th><td><code>${user.id}</code></td></tr>
<tr><th scope="row">Status</th><td>${status(user)}</td></tr>
<tr><th scope="row">Created</th><td>${when(user.createdAt)}</td></tr>
<tr><th scope="row">Second factors</th><td>${factorList.length > 0 ? factorList.join(', ') : 'none'}</td></tr>
<tr><th scope="row">Claims</th><td><pre>${JSON.stringify(user.claims, null, 2)}</pre></td></tr>
</tbody>
</table>
<div class="row">
${user.disabled ? post('enable', 'Enable sign-in') : html`<a href="${userHref(user)}/disable">Disable…</a>`}
${post('unlock', 'Forgive failed sign-ins (unlock)', 'secondary')}
<a href="${userHref(user)}/reset-factors">Reset second factors…</a>
</div>
<p class="hint">The administrator role is granted and taken back on the command line: pnpm idp users grant-admin | revoke-admin ${user.email}</p>
<h2>Live sessions</h2>
${sessionsTable(user, sessions)}`,
  });
}
