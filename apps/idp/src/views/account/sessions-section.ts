import { html } from '../html.js';
import {
  accountTexts,
  postForm,
  section,
  when,
  whenText,
  type SectionContext,
} from './account-view.js';

export const END_SESSION_PATH = '/account/sessions/end';
export const END_OTHER_SESSIONS_PATH = '/account/sessions/end-others';

export interface ListedSessionView {
  readonly id: string;
  readonly createdAt: number;
  readonly authTime: number;
  readonly amr: readonly string[];
  /** Display names of the applications that took part. */
  readonly apps: readonly string[];
  readonly current: boolean;
}

/** The person's live browser sessions, this one first, each with its own "Sign out" (i18n `account.sessions`). */
export function sessionsSection(context: SectionContext, sessions: readonly ListedSessionView[]) {
  const t = accountTexts(context).sessions;
  const ordered = [...sessions].sort((a, b) => Number(b.current) - Number(a.current));
  const items = ordered.map((s) => {
    const methods = [
      ...new Set(s.amr.map((m) => (Object.hasOwn(t.amr, m) ? t.amr[m] : undefined) ?? m)),
    ].join(', ');
    const confirmed =
      s.authTime > s.createdAt
        ? html`<p class="detail">${t.lastSignIn} ${when(s.authTime, context)}</p>\n`
        : '';
    const button = html`<button type="submit" class="secondary" aria-label="${t.signOutLabel(whenText(s.createdAt, context))}">${t.signOut}</button>`;
    return html`<li>
<div class="item-text">
<p class="item-title">${s.current ? html`<span class="badge">${t.thisBrowser}</span>` : ''}${t.started} ${when(s.createdAt, context)}${methods ? html` ${t.methods} ${methods}` : ''}</p>
${confirmed}<p class="detail">${t.apps}: ${s.apps.length > 0 ? s.apps.join(', ') : t.noApps}</p>
</div>
${postForm(END_SESSION_PATH, context, button, { fields: { session_id: s.id }, className: 'item-form' })}
</li>
`;
  });
  const others = sessions.some((s) => !s.current);
  return {
    id: 'sessions',
    title: t.title,
    html: section(
      'sessions',
      t.title,
      html`<p class="section-lead">${t.lead}</p>
<ul class="items">
${items}</ul>
${others ? postForm(END_OTHER_SESSIONS_PATH, context, html`<div class="actions inline"><button type="submit" class="secondary">${t.signOutOthers}</button></div>`) : ''}`,
    ),
  };
}
