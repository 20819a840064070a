// A single-page app that signs in with oidc-client-ts (authorization code + PKCE), then shows
// who signed in. `/config.json` (served next to this file) names the issuer and the client.
/* global oidc, window, document, location, history, fetch, console -- a classic browser script */
'use strict';

const $ = (id) => document.getElementById(id);

function show(user) {
  $('status').textContent = 'Signed in';
  $('user-name').textContent = user.profile.name ?? '';
  $('user-email').textContent = user.profile.email ?? '';
  $('user-sub').textContent = user.profile.sub;
  $('scope').textContent = user.scope ?? '';
  $('signed-in').hidden = false;
  // For the test driving this page: what the app holds after sign-in.
  window.spaSession = {
    accessToken: user.access_token,
    tokenType: user.token_type,
    profile: user.profile,
  };
}

async function main() {
  const config = await (await fetch('/config.json')).json();
  const userManager = new oidc.UserManager({
    authority: config.issuer,
    client_id: config.clientId,
    redirect_uri: `${location.origin}/callback`,
    response_type: 'code',
    scope: 'openid profile email',
    // Calls the userinfo endpoint with the access token after the code exchange and merges its
    // claims into user.profile (after checking that its `sub` matches the ID token's).
    loadUserInfo: true,
    automaticSilentRenew: false,
    userStore: new oidc.WebStorageStateStore({ store: window.sessionStorage }),
  });

  if (location.pathname === '/callback') {
    const user = await userManager.signinRedirectCallback();
    history.replaceState(null, '', '/');
    show(user);
    return;
  }
  const user = await userManager.getUser();
  if (user && !user.expired) {
    show(user);
    return;
  }
  $('status').textContent = 'Signed out';
  $('login').hidden = false;
  $('login').addEventListener('click', () => {
    userManager.signinRedirect().catch(fail);
  });
}

function fail(error) {
  $('status').textContent = 'Error';
  $('error').textContent = `${error?.name ?? 'Error'}: ${error?.message ?? String(error)}`;
  console.error(error);
}

main().catch(fail);
