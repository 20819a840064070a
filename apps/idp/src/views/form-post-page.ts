import { cspHash } from './csp-hash.js';
import { hiddenFields } from './hidden-fields.js';
import { html } from './html.js';
import { page } from './layout.js';
import { textsOf, type PageContext } from './page-context.js';

// Called through the prototype: a parameter named "submit" would shadow form.submit.
const FORM_POST_SCRIPT = html`HTMLFormElement.prototype.submit.call(document.forms[0]);`;

/** CSP hash source of the form_post page's inline script, for `contentSecurityPolicy`. */
export const FORM_POST_SCRIPT_HASH = cspHash(FORM_POST_SCRIPT.toString());

/** Where the authorization response goes and what it carries. */
export interface FormPostPageOptions extends PageContext {
  /** The client's redirect_uri; must be an absolute http(s) URL. */
  action: string;
  /** The authorization response parameters (`code`, `state`, `iss`, or `error`...). */
  params: Readonly<Record<string, string>>;
}

/**
 * The OAuth 2.0 Form Post Response Mode page: the response parameters as hidden inputs,
 * posted to the client's redirect_uri by a script on load, or by the Continue button when
 * scripts are off. Serve it with `contentSecurityPolicy({ formActions: [action],
 * scriptHash: FORM_POST_SCRIPT_HASH })` and `Cache-Control: no-store`.
 */
export function formPostPage(options: FormPostPageOptions): string {
  const { action, params } = options;
  const t = textsOf(options).formPost;
  const { protocol } = new URL(action);
  // Escaping cannot stop a javascript: action; a redirect_uri is never one, so refuse it here.
  if (protocol !== 'https:' && protocol !== 'http:') {
    throw new TypeError(`form_post action must be an http(s) URL, got ${protocol}`);
  }
  const body = html`<h1>${t.title}</h1>
<form method="post" action="${action}">
${hiddenFields(params)}<noscript><p class="lead">${t.noScript}</p></noscript>
<div class="actions">
<button type="submit">${t.continue}</button>
</div>
</form>
<script>${FORM_POST_SCRIPT}</script>`;
  return page({ ...options, title: t.title, body });
}
