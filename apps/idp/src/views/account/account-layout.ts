import { html, type SafeHtml } from '../html.js';
import { page } from '../layout.js';

/** The words of the page around the sections, in one place for translation. */
export const ACCOUNT_TEXTS = {
  title: 'Your account',
  signedInAs: 'Signed in as',
  contents: 'On this page',
} as const;

export interface AccountLayoutOptions {
  /** The signed-in person's address (not editable here). */
  readonly email: string;
  /** What the last action did, in plain words (after a redirect), announced politely. */
  readonly notice?: string | undefined;
  /** What the last action could not do, in plain words, announced at once. */
  readonly error?: string | undefined;
  /** The sections in page order (= focus order), each with the id and title its link uses. */
  readonly sections: readonly {
    readonly id: string;
    readonly title: string;
    readonly html: SafeHtml;
  }[];
}

/**
 * The account page: who is signed in, a list of links to the sections, then the sections. The
 * route (routes/account/account-page.ts) decides which sections there are.
 */
export function accountPage(options: AccountLayoutOptions): string {
  const t = ACCOUNT_TEXTS;
  const { email, notice, error, sections } = options;
  const body = html`<h1>${t.title}</h1>
<p class="lead">${t.signedInAs} <strong>${email}</strong></p>
${error ? html`<p class="alert" role="alert">${error}</p>\n` : ''}${notice ? html`<p class="notice" role="status">${notice}</p>\n` : ''}<nav aria-label="${t.contents}">
<ul class="toc">
${sections.map((s) => html`<li><a href="#${s.id}">${s.title}</a></li>\n`)}</ul>
</nav>
${sections.map((s) => s.html)}`;
  return page({ title: t.title, body, wide: true });
}
