import { hiddenFields } from './hidden-fields.js';
import { html } from './html.js';
import { page } from './layout.js';
import { textsOf, type PageContext } from './page-context.js';

/** The sign-out confirmation, for a logout request that cannot be attributed to the session. */
export interface LogoutPageOptions extends PageContext {
  userEmail: string;
  /** Sealed logout request, posted back as `logout`. */
  logout: string;
  csrf: string;
  action: string;
}

/**
 * RP-Initiated Logout 1.0 section 2: without a matching id_token_hint the OP asks the person
 * whether to sign out, so a third-party page cannot sign them out behind their back.
 */
export function logoutPage(options: LogoutPageOptions): string {
  const { userEmail, logout, csrf, action } = options;
  const t = textsOf(options).logout;
  const body = html`<h1>${t.title}</h1>
<p class="lead">${t.signedInAs(userEmail)}</p>
<form method="post" action="${action}">
${hiddenFields({ logout, csrf })}<div class="actions">
<button type="submit" name="decision" value="logout">${t.signOut}</button>
<button type="submit" name="decision" value="stay">${t.stay}</button>
</div>
</form>`;
  return page({ ...options, title: t.title, body });
}
