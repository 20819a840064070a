import type { RegisteredClient } from '@idp/oidc';
import { html } from '../html.js';
import { consolePage, csrfField, problemList, type ConsoleFrame } from './console-layout.js';

/** What the client form shows: the fields as typed (after a refusal) or as stored. */
export interface ClientFormValues {
  client_id: string;
  client_name: string;
  token_endpoint_auth_method: string;
  grant_types: string[];
  redirect_uris: string;
  post_logout_redirect_uris: string;
  scope: string;
  /** Further RFC 7591 members as a JSON object (merged over the fields above). */
  more: string;
}

const AUTH_METHODS = [
  ['client_secret_basic', 'Secret in the Authorization header (client_secret_basic)'],
  ['client_secret_post', 'Secret in the form (client_secret_post)'],
  ['private_key_jwt', 'Signed assertion with its own keys (private_key_jwt)'],
  ['none', 'None: a public client (native or browser app, PKCE)'],
] as const;

const GRANT_TYPES = [
  ['authorization_code', 'Authorization code (people sign in)'],
  ['refresh_token', 'Refresh tokens'],
  ['client_credentials', 'Client credentials (the client acts for itself)'],
  ['urn:ietf:params:oauth:grant-type:device_code', 'Device authorization (RFC 8628)'],
] as const;

export function clientFormValues(client: RegisteredClient): ClientFormValues {
  return {
    client_id: client.clientId,
    client_name: client.clientName,
    token_endpoint_auth_method: client.tokenEndpointAuthMethod,
    grant_types: [...client.grantTypes],
    redirect_uris: client.redirectUris.join('\n'),
    post_logout_redirect_uris: client.postLogoutRedirectUris.join('\n'),
    scope: client.scopes.join(' '),
    more: '',
  };
}

export const EMPTY_CLIENT: ClientFormValues = {
  client_id: '',
  client_name: '',
  token_endpoint_auth_method: 'client_secret_basic',
  grant_types: ['authorization_code', 'refresh_token'],
  redirect_uris: '',
  post_logout_redirect_uris: '',
  scope: 'openid profile email',
  more: '',
};

export function clientsListPage(options: {
  frame: ConsoleFrame;
  clients: readonly RegisteredClient[];
  search: string;
  nextHref: string | null;
  notice?: string;
}): string {
  const { frame, clients, search, nextHref, notice } = options;
  const rows = clients.map(
    (c) =>
      html`<tr><td><a href="/admin/clients/${encodeURIComponent(c.clientId)}">${c.clientId}</a></td><td>${c.clientName}</td><td>${c.tokenEndpointAuthMethod}</td><td>${c.grantTypes.join(', ')}</td><td>${c.redirectUris.length}</td></tr>`,
  );
  return consolePage({
    title: 'Clients',
    section: 'clients',
    frame,
    body: html`${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}
<form method="get" action="/admin/clients" class="row" role="search">
<div class="field"><label for="search">Search by client_id or name</label><input id="search" name="search" value="${search}"></div>
<button type="submit">Search</button>
<a href="/admin/clients/new">Register a new client</a>
</form>
<table>
<caption class="muted">${clients.length === 0 ? 'No clients match.' : `${clients.length} shown, by client_id`}</caption>
<thead><tr><th scope="col">client_id</th><th scope="col">Name</th><th scope="col">Authentication</th><th scope="col">Grant types</th><th scope="col">Redirect URIs</th></tr></thead>
<tbody>${rows}</tbody>
</table>
${nextHref ? html`<p><a href="${nextHref}" rel="next">Next page</a></p>` : ''}`,
  });
}

export function clientFormPage(options: {
  frame: ConsoleFrame;
  mode: 'create' | 'edit';
  values: ClientFormValues;
  problems: readonly { path: string; message: string }[];
  client?: RegisteredClient;
  metadata?: unknown;
  notice?: string;
}): string {
  const { frame, mode, values, problems, metadata, notice } = options;
  const id = encodeURIComponent(values.client_id);
  const action = mode === 'create' ? '/admin/clients/new' : `/admin/clients/${id}`;
  const title = mode === 'create' ? 'Register a client' : `Client ${values.client_id}`;
  const invalid = (path: string) =>
    problems.some((p) => p.path === path || p.path.startsWith(`${path}[`))
      ? html` aria-invalid="true"`
      : '';
  const form = html`${problemList(problems)}
<form method="post" action="${action}">
${csrfField(frame)}
${
  mode === 'create'
    ? html`<div class="field"><label for="client_id">client_id</label><input id="client_id" name="client_id" required value="${values.client_id}"${invalid('client_id')}><p class="hint">Letters, digits and - . _ ~; it never changes.</p></div>`
    : ''
}
<div class="field"><label for="client_name">Name shown to people</label><input id="client_name" name="client_name" value="${values.client_name}"${invalid('client_name')}></div>
<div class="field"><label for="token_endpoint_auth_method">How it authenticates at the token endpoint</label>
<select id="token_endpoint_auth_method" name="token_endpoint_auth_method">${AUTH_METHODS.map(
    ([value, label]) =>
      html`<option value="${value}"${values.token_endpoint_auth_method === value ? html` selected` : ''}>${label}</option>`,
  )}</select></div>
<fieldset><legend>Grant types</legend>${GRANT_TYPES.map(
    ([value, label]) =>
      html`<label class="check"><input type="checkbox" name="grant_types" value="${value}"${values.grant_types.includes(value) ? html` checked` : ''}>${label}</label>`,
  )}</fieldset>
<div class="field"><label for="redirect_uris">Redirect URIs, one per line</label><textarea id="redirect_uris" name="redirect_uris"${invalid('redirect_uris')}>${values.redirect_uris}</textarea></div>
<div class="field"><label for="post_logout_redirect_uris">Post-logout redirect URIs, one per line</label><textarea id="post_logout_redirect_uris" name="post_logout_redirect_uris"${invalid('post_logout_redirect_uris')}>${values.post_logout_redirect_uris}</textarea></div>
<div class="field"><label for="scope">Scopes it may ask for, separated by spaces</label><input id="scope" name="scope" value="${values.scope}"${invalid('scope')}></div>
<div class="field"><label for="more">Other metadata, as a JSON object of RFC 7591 members (optional)</label><textarea id="more" name="more" aria-describedby="more-hint">${values.more}</textarea><p class="hint" id="more-hint">For example {"jwks_uri": "https://app.example/jwks", "require_pkce": true}. A member set to null goes back to its default.</p></div>
<div class="actions"><button type="submit">${mode === 'create' ? 'Register the client' : 'Save changes'}</button></div>
</form>`;
  const manage =
    mode === 'edit'
      ? html`<h2>Secret and removal</h2>
<p><a href="/admin/clients/${id}/rotate-secret">Rotate the client secret…</a></p>
<p><a href="/admin/clients/${id}/delete">Delete this client…</a></p>
<h2>All metadata</h2>
<pre>${JSON.stringify(metadata, null, 2)}</pre>`
      : '';
  return consolePage({
    title,
    section: 'clients',
    frame,
    body: html`${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}<p><a href="/admin/clients">All clients</a></p>${form}${manage}`,
  });
}

export function secretPage(options: {
  frame: ConsoleFrame;
  clientId: string;
  secret: string;
  what: string;
}): string {
  const { frame, clientId, secret, what } = options;
  return consolePage({
    title: 'Copy the client secret now',
    section: 'clients',
    frame,
    body: html`<p class="lead">${what} This is the only time it is shown: only its hash is stored.</p>
<p><label for="secret">client_secret of ${clientId}</label><output id="secret" class="secret">${secret}</output></p>
<p><a href="/admin/clients/${encodeURIComponent(clientId)}">Back to the client</a></p>`,
  });
}
