/** The one-time-code settings page and its forms (routes/account/one-time-codes.ts). */
export const ONE_TIME_CODES_PATH = '/account/one-time-codes';
export const ONE_TIME_CODES_ACTIONS = {
  confirm: `${ONE_TIME_CODES_PATH}/confirm`,
  remove: `${ONE_TIME_CODES_PATH}/remove`,
  recoveryCodes: `${ONE_TIME_CODES_PATH}/recovery-codes`,
  confirmIdentity: `${ONE_TIME_CODES_PATH}/confirm-identity`,
} as const;
