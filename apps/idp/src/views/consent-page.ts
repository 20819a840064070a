import { describeClaim } from './describe-claim.js';
import { describeScope } from './describe-scope.js';
import { hiddenFields } from './hidden-fields.js';
import { html } from './html.js';
import { page } from './layout.js';
import { textsOf, type PageContext } from './page-context.js';

/** What the consent page asks and where its form goes. */
export interface ConsentPageOptions extends PageContext {
  /** The client's display name. */
  clientName: string;
  /** The signed-in person, so they can tell which account they are sharing. */
  userEmail: string;
  /** The requested scopes, in the order to list them. */
  scopes: readonly string[];
  /** User claims requested one by one beyond what the scopes carry (OIDC Core 5.5), listed after them. */
  claims?: readonly string[];
  /** Opaque interaction id, posted back as `interaction`. */
  interaction: string;
  /** CSRF token, posted back as `csrf`. */
  csrf: string;
  /** URL the form posts to. */
  action: string;
  /** The request comes from a device through a user code (RFC 8628 5.4: say so, against phishing). */
  device?: boolean;
  /**
   * The host of a client known only by its metadata document URL: shown so the person can tell
   * which site the application really is (the name is whatever its document says).
   */
  clientHost?: string;
  /** Hosts of the resources (RFC 8707) the tokens would be for, for such a client. */
  resourceHosts?: readonly string[];
}

/**
 * The consent page: what the client asks for in plain words, and one form posting
 * `decision=allow` or `decision=deny` (a contract) with `interaction` and `csrf` to `action`.
 */
export function consentPage(options: ConsentPageOptions): string {
  const { clientName, userEmail, scopes, interaction, csrf, action } = options;
  const t = textsOf(options).consent;
  const items = [
    ...[...new Set(scopes)].map((scope) => html`<li>${describeScope(scope, options)}</li>\n`),
    ...[...new Set(options.claims ?? [])].map(
      (claim) => html`<li>${describeClaim(claim, options)}</li>\n`,
    ),
  ];
  // Allow comes first: it is the default button and the primary style, and DOM order is focus
  // order, so the visual order matches what the keyboard reaches first.
  const body = html`<h1>${t.heading(clientName)}</h1>
<p class="lead">${t.signedInAs} <strong>${userEmail}</strong></p>
${options.device ? html`<p class="alert">${t.device}</p>\n` : ''}${
    options.clientHost ? html`<p class="alert">${t.unregistered(options.clientHost)}</p>\n` : ''
  }${
    options.resourceHosts && options.resourceHosts.length > 0
      ? html`<p>${t.resources} <strong>${[...new Set(options.resourceHosts)].join(', ')}</strong></p>\n`
      : ''
  }<p>${t.willBeAbleTo(clientName)}</p>
<ul class="scopes">
${items}</ul>
<form method="post" action="${action}">
${hiddenFields({ interaction, csrf })}<div class="actions">
<button type="submit" name="decision" value="allow">${t.allow}</button>
<button type="submit" name="decision" value="deny">${t.deny}</button>
</div>
</form>`;
  return page({ ...options, title: t.pageTitle(clientName), body });
}
