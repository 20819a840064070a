import type { RegisteredClient } from '@idp/oidc';
import { consoleMessages } from '../../i18n/index.js';
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
  'client_secret_basic',
  'client_secret_post',
  'private_key_jwt',
  'none',
] as const;

const GRANT_TYPES = [
  'authorization_code',
  'refresh_token',
  'client_credentials',
  'urn:ietf:params:oauth:grant-type:device_code',
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
  const t = consoleMessages(frame.locale);
  const rows = clients.map(
    (c) =>
      html`<tr><td><a href="/admin/clients/${encodeURIComponent(c.clientId)}">${c.clientId}</a></td><td>${c.clientName}</td><td>${c.tokenEndpointAuthMethod}</td><td>${c.grantTypes.join(', ')}</td><td>${c.redirectUris.length}</td></tr>`,
  );
  return consolePage({
    title: t.clients.title,
    section: 'clients',
    frame,
    body: html`${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}
<form method="get" action="/admin/clients" class="row" role="search">
<div class="field"><label for="search">${t.clients.searchLabel}</label><input id="search" name="search" value="${search}"></div>
<button type="submit">${t.common.search}</button>
<a href="/admin/clients/new">${t.clients.register}</a>
</form>
<table>
<caption class="muted">${clients.length === 0 ? t.clients.none : t.clients.shown(clients.length)}</caption>
<thead><tr><th scope="col">client_id</th><th scope="col">${t.clients.name}</th><th scope="col">${t.clients.authentication}</th><th scope="col">${t.clients.grantTypes}</th><th scope="col">${t.clients.redirectUris}</th></tr></thead>
<tbody>${rows}</tbody>
</table>
${nextHref ? html`<p><a href="${nextHref}" rel="next">${t.common.nextPage}</a></p>` : ''}`,
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
  const t = consoleMessages(frame.locale).clients;
  const id = encodeURIComponent(values.client_id);
  const action = mode === 'create' ? '/admin/clients/new' : `/admin/clients/${id}`;
  const title = mode === 'create' ? t.newTitle : t.editTitle(values.client_id);
  const invalid = (path: string) =>
    problems.some((p) => p.path === path || p.path.startsWith(`${path}[`))
      ? html` aria-invalid="true"`
      : '';
  const form = html`${problemList(problems, frame.locale)}
<form method="post" action="${action}">
${csrfField(frame)}
${
  mode === 'create'
    ? html`<div class="field"><label for="client_id">client_id</label><input id="client_id" name="client_id" required value="${values.client_id}"${invalid('client_id')}><p class="hint">${t.clientIdHint}</p></div>`
    : ''
}
<div class="field"><label for="client_name">${t.nameLabel}</label><input id="client_name" name="client_name" value="${values.client_name}"${invalid('client_name')}></div>
<div class="field"><label for="token_endpoint_auth_method">${t.authLabel}</label>
<select id="token_endpoint_auth_method" name="token_endpoint_auth_method">${AUTH_METHODS.map(
    (value) =>
      html`<option value="${value}"${values.token_endpoint_auth_method === value ? html` selected` : ''}>${t.authMethods[value]}</option>`,
  )}</select></div>
<fieldset><legend>${t.grantTypes}</legend>${GRANT_TYPES.map(
    (value) =>
      html`<label class="check"><input type="checkbox" name="grant_types" value="${value}"${values.grant_types.includes(value) ? html` checked` : ''}>${t.grants[value]}</label>`,
  )}</fieldset>
<div class="field"><label for="redirect_uris">${t.redirectLabel}</label><textarea id="redirect_uris" name="redirect_uris"${invalid('redirect_uris')}>${values.redirect_uris}</textarea></div>
<div class="field"><label for="post_logout_redirect_uris">${t.postLogoutLabel}</label><textarea id="post_logout_redirect_uris" name="post_logout_redirect_uris"${invalid('post_logout_redirect_uris')}>${values.post_logout_redirect_uris}</textarea></div>
<div class="field"><label for="scope">${t.scopeLabel}</label><input id="scope" name="scope" value="${values.scope}"${invalid('scope')}></div>
<div class="field"><label for="more">${t.moreLabel}</label><textarea id="more" name="more" aria-describedby="more-hint">${values.more}</textarea><p class="hint" id="more-hint">${t.moreHint}</p></div>
<div class="actions"><button type="submit">${mode === 'create' ? t.create : t.save}</button></div>
</form>`;
  const manage =
    mode === 'edit'
      ? html`<h2>${t.secretAndRemoval}</h2>
<p><a href="/admin/clients/${id}/rotate-secret">${t.rotateLink}</a></p>
<p><a href="/admin/clients/${id}/delete">${t.deleteLink}</a></p>
<h2>${t.allMetadata}</h2>
<pre>${JSON.stringify(metadata, null, 2)}</pre>`
      : '';
  return consolePage({
    title,
    section: 'clients',
    frame,
    body: html`${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}<p><a href="/admin/clients">${t.all}</a></p>${form}${manage}`,
  });
}

export function secretPage(options: {
  frame: ConsoleFrame;
  clientId: string;
  secret: string;
  what: string;
}): string {
  const { frame, clientId, secret, what } = options;
  const t = consoleMessages(frame.locale).clients;
  return consolePage({
    title: t.secretTitle,
    section: 'clients',
    frame,
    body: html`<p class="lead">${what} ${t.secretOnce}</p>
<p><label for="secret">${t.secretOf(clientId)}</label><output id="secret" class="secret">${secret}</output></p>
<p><a href="/admin/clients/${encodeURIComponent(clientId)}">${t.backToClient}</a></p>`,
  });
}
