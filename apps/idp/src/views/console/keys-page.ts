import type { SigningKeyView } from '@idp/keys';
import { consoleMessages, type ConsoleMessages } from '../../i18n/index.js';
import { html } from '../html.js';
import { consolePage, csrfField, when, type ConsoleFrame } from './console-layout.js';

/** When the tokens a key signed may still be presented, in words. */
function outstanding(key: SigningKeyView, now: number, t: ConsoleMessages['keys']): string {
  if (key.state === 'revoked') return t.outstandingRevoked;
  if (key.activatesAt > now) return t.outstandingNotYet;
  const leaves = key.removesAt;
  if (key.state === 'active') return t.outstandingActive;
  if (leaves !== null && leaves > now) return t.outstandingUntil(when(leaves));
  return t.outstandingNone;
}

export function keysPage(options: {
  frame: ConsoleFrame;
  keys: readonly SigningKeyView[];
  algorithms: readonly string[];
  now: number;
  notice?: string;
}): string {
  const { frame, keys, algorithms, now, notice } = options;
  const t = consoleMessages(frame.locale).keys;
  const rows = keys.map(
    (k) => html`<tr>
<td><code>${k.kid}</code></td><td class="nowrap">${k.alg}</td><td><span class="badge">${t.states[k.state] ?? k.state}</span></td>
<td>${when(k.createdAt)}</td><td>${when(k.activatesAt)}</td><td>${when(k.retiresAt)}</td><td>${when(k.revokedAt ?? k.removesAt)}</td>
<td>${outstanding(k, now, t)}</td>
<td>${
      k.state === 'revoked' || k.state === 'removed'
        ? ''
        : html`${k.state === 'active' || k.state === 'pending' ? html`<a href="/admin/signing-keys/${encodeURIComponent(k.kid)}/retire">${t.retireLink}</a> ` : ''}<a href="/admin/signing-keys/${encodeURIComponent(k.kid)}/revoke">${t.revokeLink}</a>`
    }</td>
</tr>`,
  );
  return consolePage({
    title: t.title,
    section: 'signing-keys',
    frame,
    body: html`${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}
<p class="lead">${t.lead}</p>
<form method="post" action="/admin/signing-keys/rotate" class="row">
${csrfField(frame)}
<div class="field"><label for="alg">${t.algorithm}</label><select id="alg" name="alg">${algorithms.map((a) => html`<option value="${a}">${a}</option>`)}</select></div>
<label class="check"><input type="checkbox" name="now" value="yes">${t.now}</label>
<button type="submit">${t.rotate}</button>
</form>
<table>
<caption class="muted">${t.caption}</caption>
<thead><tr><th scope="col">kid</th><th scope="col">Alg</th><th scope="col">${t.state}</th><th scope="col">${t.published}</th><th scope="col">${t.signsFrom}</th><th scope="col">${t.retires}</th><th scope="col">${t.leaves}</th><th scope="col">${t.outstanding}</th><th scope="col"><span class="muted">${consoleMessages(frame.locale).common.action}</span></th></tr></thead>
<tbody>${rows}</tbody>
</table>`,
  });
}
