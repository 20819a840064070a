import { enAccount } from './en-account.js';

/**
 * The English words of every page and e-mail. This object defines the keys: every other
 * language is typed `Messages` (below), so a key missing there, or one that is not here, is a
 * type error. Texts with values are functions, so each language orders the words its own way.
 * Keep the DESIGN.md page contract: the login page's reset link says "Forgot".
 */
export const en = {
  login: {
    title: 'Sign in',
    pageTitle: (client: string) => `Sign in to ${client}`,
    lead: 'to continue to',
    email: 'Email',
    password: 'Password',
    submit: 'Sign in',
    forgot: 'Forgot your password?',
    signUpLead: 'New here?',
    signUp: 'Create an account',
    passkey: 'Sign in with a passkey',
    /** Same words for an unknown account and a wrong password: no account enumeration. */
    wrongCredentials: 'That email and password do not match an account. Check them and try again.',
    tooManyTitle: 'Too many attempts',
    refusals: {
      account_source:
        'There have been too many failed sign-in attempts for this account from here. Wait a few minutes, then try again.',
      address:
        'Too many failed sign-in attempts came from your network. Wait a minute, then try again. Accounts you have signed in to from this browser or network before are not affected.',
      new_source:
        'This account is receiving many failed sign-in attempts, so sign-ins from new devices are slowed down. Wait a minute, then try again, or sign in from a device you have used before.',
    },
  },

  /** The sign-in's second step: a one-time code, a recovery code, or a passkey. */
  oneTimeCode: {
    title: 'Enter your one-time code',
    lead: 'Open your authenticator app and type the code it shows, to continue to',
    code: 'One-time code',
    useRecovery: 'Use a recovery code instead',
    recoveryCode: 'Recovery code',
    submit: 'Continue',
    /** For an account with passkeys and no one-time codes. */
    passkeyTitle: 'Confirm it is you with a passkey',
    passkeyLead: 'Your password was right. Now use one of your passkeys to continue to',
    or: 'Or',
    /** Contains "passkey" (DESIGN.md page contract). */
    usePasskey: 'Use a passkey',
    wrongCode:
      'That code did not work. Type the code your app shows now (each code works once), or a recovery code.',
    passkeyRefused:
      'That passkey could not be used. Use a passkey registered to your account, and try again.',
    passkeyExpired: 'The passkey request expired or was already used. Try again.',
    lockedTitle: 'Too many wrong codes',
    locked: (minutes: number) =>
      `One-time codes for this account are paused after several wrong codes. Wait ${minutes} minutes, then sign in again.`,
    notThisStepTitle: 'This form could not be accepted',
    notThisStep: 'Go back to the application and start signing in again.',
    signedOutTitle: 'You were signed out',
    signedOut: 'Go back to the application and sign in again.',
    cannotSignInTitle: 'This account cannot sign in',
    cannotSignIn: 'Go back to the application and start again.',
    /** A client or request needs a second factor and the account has none. */
    noneTitle: 'A second factor is needed',
    none: (client: string) =>
      `${client} asks for a one-time code as well as your password, and your account has none set up yet. Set up one-time codes, then go back to ${client} and sign in again.`,
    setUp: 'Set up one-time codes',
  },

  /** Signing in to the account page itself (routes/account/account-sign-in.ts). */
  accountSignIn: {
    /** The sign-in pages say "to continue to <this>". */
    destination: 'your account',
    expiredTitle: 'This page has expired',
    expired: 'Open your account page again to sign in.',
    csrfTitle: 'This form could not be accepted',
    csrf: "It did not come from this browser's pages. Open your account page again to sign in.",
    usedTitle: 'This page was already used',
    used: 'Each sign-in page can be sent only once. Open your account page again to sign in.',
    goneTitle: 'This account cannot sign in',
    gone: 'Open your account page again to sign in.',
  },

  /** The account area: /account, its own sign-in, the one-time-code settings (en-account.ts). */
  account: enAccount,

  /** What the passkey script says when a ceremony fails (views/passkey-form.ts). */
  passkeyCeremony: {
    cancelled: 'The passkey request was cancelled or timed out. Try again.',
    failed: 'Your passkey could not be used here. Try again, or use another way.',
    /** The same words for every refused assertion: the reason is for the audit trail. */
    refused: 'That passkey could not sign you in. Try again, or sign in with your password.',
    expired: 'The passkey request expired or was already used. Try again.',
  },

  consent: {
    heading: (client: string) => `${client} wants to access your account`,
    pageTitle: (client: string) => `Allow ${client} to access your account?`,
    signedInAs: 'Signed in as',
    device:
      'A device is asking through the code you entered. Allow only if you started this on your own device just now.',
    unregistered: (host: string) =>
      `This application is not registered with this service: it names itself by a document at ${host}. Allow only if you trust ${host}.`,
    resources: 'Access will be for:',
    willBeAbleTo: (client: string) => `${client} will be able to:`,
    allow: 'Allow',
    deny: 'Deny',
    noChoiceTitle: 'No choice was made',
    noChoice: 'Choose Allow or Deny on the consent page.',
  },

  /** What each scope lets the client do, from the person's side (OIDC Core 5.4, 11). */
  scopes: {
    openid: 'Confirm who you are',
    profile: 'See your name, picture and other profile details',
    email: 'See your email address',
    address: 'See your postal address',
    phone: 'See your phone number',
    offline_access: 'Stay signed in: keep access when you are not using the app',
  } as Record<string, string>,

  /** Each user claim (OIDC Core 5.1), for claims asked for one by one (OIDC Core 5.5). */
  claims: {
    name: 'your full name',
    given_name: 'your first name',
    family_name: 'your last name',
    middle_name: 'your middle name',
    nickname: 'your nickname',
    preferred_username: 'your preferred username',
    profile: 'your profile page address',
    picture: 'your picture',
    website: 'your website',
    gender: 'your gender',
    birthdate: 'your date of birth',
    zoneinfo: 'your time zone',
    locale: 'your language and region',
    updated_at: 'when your profile last changed',
    email: 'your email address',
    email_verified: 'whether your email address is verified',
    address: 'your postal address',
    phone_number: 'your phone number',
    phone_number_verified: 'whether your phone number is verified',
  } as Record<string, string>,
  seeClaim: (what: string) => `See ${what}`,

  /**
   * The page for an authorization request that cannot go back to the application (unknown
   * client, unregistered redirect_uri). The protocol core describes the problem in English;
   * English pages show that description, other languages explain by the error code and keep the
   * description in the detail line for whoever reports the problem.
   */
  authorizeError: {
    explain: (_code: string, description: string) => description,
    detail: (code: string, _description: string) => code,
  },

  /** The checks every interaction form starts with (interaction/submitted-form.ts). */
  form: {
    expiredTitle: 'This page has expired',
    expired: 'Go back to the application and start signing in again.',
    csrfTitle: 'This form could not be accepted',
    csrf: "It did not come from this browser's sign-in pages. Go back to the application and start again.",
    invalidLinkTitle: 'This sign-in link is not valid',
    clientGone: 'The application is no longer registered.',
    usedTitle: 'This page was already used',
    used: 'Each sign-in page can be sent only once, and this one was sent before or has expired. Go back to the application and start again.',
  },

  device: {
    title: 'Connect a device',
    lead: 'Enter the code shown on your device. You will see what it asks for before anything is shared.',
    code: 'Code',
    submit: 'Continue',
    wrongCode: 'That code is not valid. Check the code on your device and try again.',
    csrf: "It did not come from this browser's pages. Open the link shown on your device and try again.",
    tooMany: 'Too many wrong codes were entered. Wait a few minutes, then try again.',
    expiredTitle: 'This code has expired',
    expired: 'Codes work for a few minutes only. Start again on your device to get a new code.',
    answeredTitle: 'This code was already used',
    answered:
      'The device was already allowed or denied with it. Start again on your device if you need a new code.',
    clientGoneTitle: 'This code is not valid',
    clientGone: 'The application that asked for it is no longer registered.',
    noLongerValidTitle: 'This code can no longer be used',
    noLongerValid:
      'It expired or was already answered. Start again on your device to get a new code.',
    connectedTitle: 'Device connected',
    connected: (client: string) =>
      `You allowed ${client}. Go back to your device: it continues by itself.`,
    deniedTitle: 'Device not connected',
    denied: (client: string) => `You denied ${client} access. Nothing was shared with the device.`,
  },

  logout: {
    title: 'Sign out?',
    signedInAs: (email: string) => `You are signed in as ${email}.`,
    signOut: 'Sign out',
    stay: 'Stay signed in',
    signedOutTitle: 'You are signed out',
    closeWindow: 'You can close this window.',
    frameTitle: 'Signing out of an application',
    continue: 'Continue',
    notValidTitle: 'This sign-out link is not valid',
    unreadable: 'Its parameters could not be read.',
    /** The protocol core's reason (English), as `authorizeError` treats it. */
    explain: (problem: string) => problem,
    detail: (_problem: string): string | undefined => undefined,
    expiredTitle: 'This sign-out page has expired',
    expired: 'Start signing out again from the application.',
    stillSignedInTitle: 'You are still signed in',
    stillSignedIn: 'Nothing was changed. You can close this window.',
  },

  formPost: {
    title: 'Returning to the application',
    noScript: 'JavaScript is off in your browser, so select Continue to finish signing in.',
    continue: 'Continue',
  },

  unavailable: {
    title: 'Temporarily unavailable',
    message:
      'The sign-in service cannot reach its database right now, and nothing was changed. Please try again in a few seconds.',
    sharedStoreMessage:
      'The sign-in service cannot reach its shared store right now, and nothing was changed. Please try again in a few seconds.',
  },

  emailForms: {
    unavailableTitle: 'E-mail is not set up',
    unavailable:
      'This server cannot send e-mail, so it cannot send password-reset or confirmation links. Ask the administrator of this service for help.',
    backToSignIn: 'Back to sign in',
    csrfTitle: 'This form could not be accepted',
    csrf: "It did not come from this browser's pages. Go back and try again.",
    tooManyTitle: 'Too many attempts',
    tooMany: 'Too many requests came from your network. Wait a few minutes, then try again.',
    passwordTooShort: (min: number) => `Choose a password of at least ${min} characters.`,
    passwordTooLong: (max: number) => `Choose a password of at most ${max} characters.`,
    passwordsDiffer: 'The two passwords differ. Type the same password twice.',
    notAnEmail: 'That is not an e-mail address. Check it and try again.',
    continue: 'Continue to sign in',
  },

  forgotPassword: {
    title: 'Reset your password',
    lead: 'Enter the e-mail address of your account. We will send you a link to choose a new password.',
    email: 'Email',
    submit: 'Send the link',
    back: 'Back to sign in',
    sentTitle: 'Check your e-mail',
    sent: (email: string) =>
      `If ${email} belongs to an account, we have sent it a link to choose a new password. The link works once, for a limited time. Nothing arrived? Check your spam folder, or ask again in a few minutes.`,
  },

  newPassword: {
    title: 'Choose a new password',
    lead: (email: string) => `for ${email}. You will be signed out everywhere.`,
    password: 'New password',
    hint: (min: number) => `At least ${min} characters.`,
    confirmation: 'New password again',
    submit: 'Change password',
    invalidTitle: 'This link does not work any more',
    invalid:
      'Password-reset links work once, for a limited time, and only the newest one you asked for. Ask for a new link.',
    askAgain: 'Ask for a new link',
    doneTitle: 'Your password was changed',
    done: 'You are signed out everywhere. Sign in again with your new password, here or in the application.',
  },

  verifyEmail: {
    title: 'Confirm your e-mail address',
    lead: (email: string) => `Confirm that ${email} is your address.`,
    submit: 'Confirm my address',
    invalidTitle: 'This link does not work any more',
    invalid:
      'Confirmation links work once, for a limited time. If your address is not confirmed yet, sign in and ask the administrator for a new link.',
    doneTitle: 'Your e-mail address is confirmed',
    done: (email: string) => `Thank you: ${email} is confirmed.`,
  },

  changeEmail: {
    title: 'Change your e-mail address',
    lead: (email: string) => `Use ${email} for your account from now on.`,
    submit: 'Use this address',
    invalidTitle: 'This link does not work any more',
    invalid:
      'Links that change an address work once, for a limited time, and only while the account still has the address they were asked from. Ask for a new one on your account page.',
    takenTitle: 'The address was not changed',
    taken:
      'This address cannot be used for your account. Nothing was changed; you still sign in with your current address.',
    doneTitle: 'Your e-mail address was changed',
    done: (email: string) => `From now on you sign in with ${email}. It is confirmed.`,
  },

  signUp: {
    title: 'Create an account',
    lead: 'We will send a link to your e-mail address to confirm it.',
    email: 'Email',
    name: 'Name',
    password: 'Password',
    hint: (min: number) => `At least ${min} characters.`,
    confirmation: 'Password again',
    submit: 'Create account',
    back: 'Already have an account? Sign in',
    offTitle: 'Sign-up is not offered here',
    off: 'Accounts on this service are created by its administrators. Ask them for one.',
    sentTitle: 'Check your e-mail',
    sent: (email: string) =>
      `We have sent a link to ${email}. Follow it to confirm your address; until then, applications see it as unconfirmed.`,
  },

  /** The e-mails (email/messages.ts), plain text and HTML from the same words. */
  mail: {
    at: (intro: string, site: string) => `${intro} at ${site}.`,
    duration: (minutes: number) =>
      minutes % 1440 === 0
        ? `${minutes / 1440} day${minutes === 1440 ? '' : 's'}`
        : minutes % 60 === 0
          ? `${minutes / 60} hour${minutes === 60 ? '' : 's'}`
          : `${minutes} minute${minutes === 1 ? '' : 's'}`,
    passwordReset: {
      subject: 'Reset your password',
      intro: 'Someone, probably you, asked to reset the password of your account',
      action: 'Choose a new password',
      expiry: (duration: string) =>
        `The link works once, for ${duration}. Choosing a new password signs you out everywhere.`,
      ignore: 'If you did not ask for this, ignore this message: your password stays as it is.',
    },
    verification: {
      subject: 'Confirm your e-mail address',
      intro: 'Please confirm that this address belongs to your account',
      action: 'Confirm my address',
      expiry: (duration: string) => `The link works once, for ${duration}.`,
      ignore: 'If you did not create an account, ignore this message.',
    },
    alreadyRegistered: {
      subject: 'You already have an account',
      intro:
        'Someone, probably you, tried to create an account with this address, which already has one',
      action: 'Reset your password',
      expiry: (_duration: string) => 'If you forgot your password, you can choose a new one here.',
      ignore: 'If this was not you, ignore this message: nothing was changed.',
    },
    emailChange: {
      subject: 'Confirm your new e-mail address',
      intro: 'Someone, probably you, asked to use this address for their account',
      action: 'Use this address',
      expiry: (duration: string) =>
        `The link works once, for ${duration}. After that you sign in with this address.`,
      ignore: 'If you did not ask for this, ignore this message: nothing changes.',
    },
    emailChangeNotice: {
      subject: 'Your e-mail address is about to change',
      intro: 'Someone, probably you, asked to move your account to another e-mail address',
      action: 'Open your account',
      expiry: (_duration: string) =>
        'Nothing changes until the link we sent to the new address is used.',
      ignore: 'If this was not you, sign in and change your password now: someone may know it.',
    },
    /**
     * Security notices (email/security-notice.ts), sent after the change: what changed and when,
     * then what to do if it was not the reader. `address` is the new address, masked.
     */
    notice: {
      emailChanged: {
        subject: 'The e-mail address of your account was changed',
        what: ({ site, date, time, address }: NoticeFacts) =>
          `The e-mail address of your account at ${site} was changed to ${address} on ${date} at ${time}. This address no longer signs in.`,
      },
      passwordChanged: {
        subject: 'Your password was changed',
        what: ({ site, date, time }: NoticeFacts) =>
          `The password of your account at ${site} was changed on the account page on ${date} at ${time}.`,
      },
      passwordReset: {
        subject: 'Your password was reset',
        what: ({ site, date, time }: NoticeFacts) =>
          `The password of your account at ${site} was reset with a link mailed to this address, on ${date} at ${time}. Every session was signed out.`,
      },
      oneTimeCodesRemoved: {
        subject: 'One-time codes were turned off for your account',
        what: ({ site, date, time }: NoticeFacts) =>
          `One-time codes were turned off for your account at ${site} on ${date} at ${time}. Signing in no longer asks for a code.`,
      },
      passkeyRemoved: {
        subject: 'A passkey was removed from your account',
        what: ({ site, date, time }: NoticeFacts) =>
          `A passkey was removed from your account at ${site} on ${date} at ${time}. It no longer signs in.`,
      },
      passkeyAdded: {
        subject: 'A passkey was added to your account',
        what: ({ site, date, time }: NoticeFacts) =>
          `A passkey was added to your account at ${site} on ${date} at ${time}. It signs in without your password.`,
      },
      oneTimeCodesAdded: {
        subject: 'One-time codes were turned on for your account',
        what: ({ site, date, time }: NoticeFacts) =>
          `One-time codes were turned on for your account at ${site} on ${date} at ${time}, with a new set of recovery codes.`,
      },
      recoveryCodesReplaced: {
        subject: 'New recovery codes were made for your account',
        what: ({ site, date, time }: NoticeFacts) =>
          `New recovery codes were made for your account at ${site} on ${date} at ${time}. The earlier ones no longer work.`,
      },
      passwordSetByOperator: {
        subject: 'Your password was set by an administrator',
        what: ({ site, date, time }: NoticeFacts) =>
          `An administrator of ${site} set a new password for your account on ${date} at ${time}. Every session was signed out.`,
      },
      factorsResetByOperator: {
        subject: 'Your one-time codes and passkeys were removed by an administrator',
        what: ({ site, date, time }: NoticeFacts) =>
          `An administrator of ${site} removed the one-time codes and passkeys of your account on ${date} at ${time}. Signing in asks for your password alone until you set them up again.`,
      },
      ifYou: 'If this was you, there is nothing more to do.',
      ifYouAsked: 'If you asked for this, there is nothing more to do.',
      ifNotAsked:
        'If you did not ask for it, someone may have asked in your name. Choose a new password now (it signs out every session) on this page',
      ifNotYou:
        'If it was not you, someone else may be using your account. Choose a new password now (it signs out every session) on this page',
      contact: (site: string) => `Then tell the administrators of ${site} what happened.`,
      ifNotYouMoved: (site: string) =>
        `If it was not you, someone else has taken over your account: tell the administrators of ${site} at once. Only they can give it back to this address.`,
    },
  },
};

/** What a security notice says happened: where, when (UTC), and the new address, masked. */
export interface NoticeFacts {
  readonly site: string;
  readonly date: string;
  readonly time: string;
  readonly address: string;
}

/** The shape every language's catalogue has: the English one's, with any text in the strings. */
export type Messages = typeof en;
