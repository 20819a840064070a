import type { SigningKeyView } from '@idp/keys';
import { html } from '../html.js';
import { consolePage, csrfField, when, type ConsoleFrame } from './console-layout.js';

/** When the tokens a key signed may still be presented, in words. */
function outstanding(key: SigningKeyView, now: number): string {
  if (key.state === 'revoked') return 'None accepted: revoked, its tokens no longer verify';
  if (key.activatesAt > now) return 'None: it has not signed yet';
  const leaves = key.removesAt;
  if (key.state === 'active') return 'Yes: it signs now';
  if (leaves !== null && leaves > now) return `Possibly, until ${when(leaves)}`;
  return 'None: every token it signed has expired';
}

export function keysPage(options: {
  frame: ConsoleFrame;
  keys: readonly SigningKeyView[];
  algorithms: readonly string[];
  now: number;
  notice?: string;
}): string {
  const { frame, keys, algorithms, now, notice } = options;
  const rows = keys.map(
    (k) => html`<tr>
<td><code>${k.kid}</code></td><td class="nowrap">${k.alg}</td><td><span class="badge">${k.state}</span></td>
<td>${when(k.createdAt)}</td><td>${when(k.activatesAt)}</td><td>${when(k.retiresAt)}</td><td>${when(k.revokedAt ?? k.removesAt)}</td>
<td>${outstanding(k, now)}</td>
<td>${
      k.state === 'revoked' || k.state === 'removed'
        ? ''
        : html`${k.state === 'active' || k.state === 'pending' ? html`<a href="/admin/signing-keys/${encodeURIComponent(k.kid)}/retire">Retire…</a> ` : ''}<a href="/admin/signing-keys/${encodeURIComponent(k.kid)}/revoke">Revoke…</a>`
    }</td>
</tr>`,
  );
  return consolePage({
    title: 'Signing keys',
    section: 'signing-keys',
    frame,
    body: html`${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}
<p class="lead">Each key is published in the JWKS before it signs, so caches learn it early; it signs until the next key of its algorithm takes over; retired, it stays published until every token it signed has expired, then leaves the JWKS.</p>
<form method="post" action="/admin/signing-keys/rotate" class="row">
${csrfField(frame)}
<div class="field"><label for="alg">Algorithm</label><select id="alg" name="alg">${algorithms.map((a) => html`<option value="${a}">${a}</option>`)}</select></div>
<label class="check"><input type="checkbox" name="now" value="yes">Sign with it at once (skip the pre-publication wait)</label>
<button type="submit">Rotate: add a new key</button>
</form>
<table>
<caption class="muted">Timeline of every key (times in UTC)</caption>
<thead><tr><th scope="col">kid</th><th scope="col">Alg</th><th scope="col">State</th><th scope="col">Published</th><th scope="col">Signs from</th><th scope="col">Retires</th><th scope="col">Leaves the JWKS</th><th scope="col">Tokens outstanding</th><th scope="col"><span class="muted">Action</span></th></tr></thead>
<tbody>${rows}</tbody>
</table>`,
  });
}
