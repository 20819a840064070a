/**
 * Server-rendered HTML pages for people: login, consent, errors, messages and the form_post
 * response. Each page function returns a complete document; serve it as
 * `text/html; charset=utf-8` with the `Content-Security-Policy` from `contentSecurityPolicy`.
 * @module
 */
export { consentPage, type ConsentPageOptions } from './consent-page.js';
export { describeClaim } from './describe-claim.js';
export { describeScope } from './describe-scope.js';
export { errorPage, type ErrorPageOptions } from './error-page.js';
export { FORM_POST_SCRIPT_HASH, formPostPage, type FormPostPageOptions } from './form-post-page.js';
export { html, type HtmlValue, type SafeHtml } from './html.js';
export {
  contentSecurityPolicy,
  type CspOptions,
  page,
  type PageOptions,
  STYLE_HASH,
} from './layout.js';
export { devicePage, type DevicePageOptions } from './device-page.js';
export { loginPage, type LoginPageOptions } from './login-page.js';
export { messagePage, type MessagePageOptions } from './message-page.js';
export { logoutPage, type LogoutPageOptions } from './logout-page.js';
export { forgotPasswordPage, type ForgotPasswordPageOptions } from './forgot-password-page.js';
export { newPasswordPage, type NewPasswordPageOptions } from './new-password-page.js';
export {
  changeEmailPage,
  verifyEmailPage,
  type MailedLinkPageOptions,
} from './mailed-link-page.js';
export { signUpPage, type SignUpPageOptions } from './sign-up-page.js';
export { brandFromConfig, type Brand } from './branding.js';
export type { PageContext } from './page-context.js';
export {
  SIGNED_OUT_SCRIPT_HASH,
  signedOutPage,
  type SignedOutPageOptions,
} from './signed-out-page.js';
export { oneTimeCodePage, type OneTimeCodePageOptions } from './one-time-code-page.js';
export {
  confirmIdentityPage,
  enrolOneTimeCodesPage,
  oneTimeCodesStatusPage,
  type OneTimeCodeActions,
  recoveryCodesPage,
} from './one-time-codes-pages.js';
