import { cspHash } from './csp-hash.js';
import { html } from './html.js';
import { page } from './layout.js';
import { textsOf, type PageContext } from './page-context.js';

// Goes on once every client's page has loaded, or after 5 s whatever they do. Constant text, so
// one CSP hash allows it; the destination comes from the Continue link.
const CONTINUE_SCRIPT = html`(function () {
  var link = document.getElementById('continue');
  if (!link) return;
  var frames = document.querySelectorAll('iframe');
  var left = frames.length;
  var go = function () { window.location.replace(link.href); };
  frames.forEach(function (frame) {
    frame.addEventListener('load', function () { if (--left === 0) go(); });
  });
  setTimeout(go, 5000);
})();`;

/** CSP hash source of the signed-out page's inline script, for `contentSecurityPolicy`. */
export const SIGNED_OUT_SCRIPT_HASH = cspHash(CONTINUE_SCRIPT.toString());

export interface SignedOutPageOptions extends PageContext {
  /** Front-Channel Logout 1.0 3: each client's frontchannel_logout_uri, with iss and sid. */
  frames: readonly string[];
  /** Where to go afterwards (the post_logout_redirect_uri with state), if anywhere. */
  continueTo?: string;
}

/**
 * "You are signed out", loading each client's front-channel logout page in an invisible iframe
 * (Front-Channel Logout 1.0 3) and then, if the client asked, going on to its
 * post_logout_redirect_uri. Serve it with `contentSecurityPolicy({ frameSources: frames,
 * scriptHash: SIGNED_OUT_SCRIPT_HASH })`.
 */
export function signedOutPage(options: SignedOutPageOptions): string {
  const { frames, continueTo } = options;
  const t = textsOf(options).logout;
  for (const target of [...frames, ...(continueTo ? [continueTo] : [])]) {
    const { protocol } = new URL(target);
    if (protocol !== 'https:' && protocol !== 'http:')
      throw new TypeError(`signed-out page targets must be http(s) URLs, got ${protocol}`);
  }
  const iframes = frames.map(
    (src) =>
      html`<iframe src="${src}" title="${t.frameTitle}" width="0" height="0" hidden></iframe>\n`,
  );
  const next = continueTo
    ? html`<div class="actions"><a id="continue" href="${continueTo}">${t.continue}</a></div>
<script>${CONTINUE_SCRIPT}</script>`
    : html`<p class="lead">${t.closeWindow}</p>`;
  const body = html`<h1>${t.signedOutTitle}</h1>
${iframes}${next}`;
  return page({ ...options, title: t.signedOutTitle, body });
}
