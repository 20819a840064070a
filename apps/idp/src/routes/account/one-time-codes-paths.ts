import { ACCOUNT_PATH } from './account-session.js';

/** The one-time-code settings page and its forms (routes/account/one-time-codes.ts). */
export const ONE_TIME_CODES_PATH = '/account/one-time-codes';
export const ONE_TIME_CODES_ACTIONS = {
  settings: ONE_TIME_CODES_PATH,
  account: ACCOUNT_PATH,
  confirm: `${ONE_TIME_CODES_PATH}/confirm`,
  remove: `${ONE_TIME_CODES_PATH}/remove`,
  recoveryCodes: `${ONE_TIME_CODES_PATH}/recovery-codes`,
  confirmIdentity: `${ONE_TIME_CODES_PATH}/confirm-identity`,
} as const;
