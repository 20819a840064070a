import { html, type SafeHtml } from '../html.js';
import { page, type PageOptions } from '../layout.js';
import { textsOf, type PageContext } from '../page-context.js';

/** The words around the sections are `account.page` in i18n/en.ts. */
export interface AccountLayoutOptions extends PageContext {
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
  /** Same-origin scripts a section needs (the passkey ceremonies); the page's CSP must name them. */
  readonly scripts?: PageOptions['scripts'];
}

/**
 * The account page: who is signed in, a list of links to the sections, then the sections. The
 * route (routes/account/account-page.ts) decides which sections there are.
 */
export function accountPage(options: AccountLayoutOptions): string {
  const t = textsOf(options).account.page;
  const { email, notice, error, sections, scripts = [] } = options;
  const body = html`<h1>${t.title}</h1>
<p class="lead">${t.signedInAs} <strong>${email}</strong></p>
${error ? html`<p class="alert" role="alert">${error}</p>\n` : ''}${notice ? html`<p class="notice" role="status">${notice}</p>\n` : ''}<nav aria-label="${t.contents}">
<ul class="toc">
${sections.map((s) => html`<li><a href="#${s.id}">${s.title}</a></li>\n`)}</ul>
</nav>
${sections.map((s) => s.html)}`;
  return page({ ...options, title: t.title, body, wide: true, scripts });
}
