import { hiddenFields } from './hidden-fields.js';
import { html } from './html.js';
import { page } from './layout.js';

/** The sign-out confirmation, for a logout request that cannot be attributed to the session. */
export interface LogoutPageOptions {
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
export function logoutPage({ userEmail, logout, csrf, action }: LogoutPageOptions): string {
  const body = html`<h1>Sign out?</h1>
<p class="lead">You are signed in as <strong>${userEmail}</strong>.</p>
<form method="post" action="${action}">
${hiddenFields({ logout, csrf })}<div class="actions">
<button type="submit" name="decision" value="logout">Sign out</button>
<button type="submit" name="decision" value="stay">Stay signed in</button>
</div>
</form>`;
  return page({ title: 'Sign out?', body });
}
