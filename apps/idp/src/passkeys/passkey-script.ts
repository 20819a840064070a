// The page script of the passkey ceremonies, served as a static file (routes/assets.ts) so the
// pages' CSP can name it instead of allowing inline script. Plain ES2020 for the browser: it
// drives @simplewebauthn/browser (global SimpleWebAuthnBrowser) and posts the result in an
// ordinary form, so the server answers with a page or a redirect as for a password.
//
// A form with `data-passkey="authentication"` or `"registration"` and `data-options` (the URL of
// its options) holds hidden inputs for what the options request needs, plus `state` and
// `credential`, which the script fills before submitting. Its button and status line sit inside.
export const PASSKEY_SCRIPT = `(() => {
  'use strict';
  const swa = window.SimpleWebAuthnBrowser;
  if (!swa || !swa.browserSupportsWebAuthn()) return;

  const say = (form, text) => {
    const status = form.querySelector('[data-passkey-status]');
    if (!status) return;
    status.textContent = text;
    status.hidden = text === '';
  };
  const fieldsOf = (form) => {
    const fields = new URLSearchParams();
    for (const input of form.querySelectorAll('input[type=hidden]'))
      if (input.name !== 'state' && input.name !== 'credential') fields.append(input.name, input.value);
    return fields;
  };
  const ceremony = async (form, autofill) => {
    const response = await fetch(form.dataset.options, {
      method: 'POST',
      credentials: 'same-origin',
      body: fieldsOf(form),
    });
    if (!response.ok) throw new Error('options');
    const { options, state } = await response.json();
    const credential =
      form.dataset.passkey === 'registration'
        ? await swa.startRegistration({ optionsJSON: options })
        : await swa.startAuthentication({ optionsJSON: options, useBrowserAutofill: autofill });
    form.elements.state.value = state;
    form.elements.credential.value = JSON.stringify(credential);
    form.submit();
  };
  const failed = (form) => (error) => {
    // Cancelled by the person, or replaced by another ceremony: nothing to report.
    if (error && (error.name === 'AbortError' || error.code === 'ERROR_CEREMONY_ABORTED')) return;
    // The words come from the page, in its language (views/passkey-form.ts).
    const words = form.querySelector('[data-passkey-status]')?.dataset ?? {};
    if (error && error.name === 'NotAllowedError') say(form, words.cancelled || 'The passkey request was cancelled or timed out. Try again.');
    else say(form, words.failed || 'Your passkey could not be used here. Try again, or use another way.');
  };

  for (const form of document.querySelectorAll('form[data-passkey]')) {
    form.hidden = false;
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      say(form, '');
      ceremony(form, false).catch(failed(form));
    });
    // Conditional UI (WebAuthn L3 5.1.4.1): passkeys offered in the username field's autofill.
    if (form.dataset.passkey === 'authentication' && form.dataset.autofill === 'true')
      swa.browserSupportsWebAuthnAutofill().then((supported) => {
        if (!supported) return;
        // The page is served with autocomplete="username" (the page contract); the token that
        // lets the browser offer passkeys in the field's autofill is added only where it can.
        const field = document.querySelector('input[name=username]');
        if (field && !/\bwebauthn\b/.test(field.getAttribute('autocomplete') || ''))
          field.setAttribute('autocomplete', (field.getAttribute('autocomplete') || '') + ' webauthn');
        ceremony(form, true).catch(failed(form));
      });
  }
})();
`;
