/**
 * The English words of the account area: /account and its sections, its own sign-in, and the
 * one-time-code settings. Part of `en` (en.ts) as `account`; de-account.ts is typed from it.
 * Contract words stay: the button that adds a passkey says "passkey" (DESIGN.md).
 */
export const enAccount = {
  /** How dates and times are written on the account pages (Intl locale). */
  dateLocale: 'en-GB',

  page: {
    title: 'Your account',
    signedInAs: 'Signed in as',
    contents: 'On this page',
  },

  /** What the last action did, by the `done` code the routes redirect with. */
  done: {
    profile: 'Your profile was saved.',
    profile_unchanged: 'Nothing changed in your profile.',
    password: 'Your password was changed. You are signed out everywhere else.',
    session: 'That browser was signed out.',
    others: 'You are signed out everywhere else.',
    app: 'The application was revoked. It will ask for your permission again next time.',
    'passkey-added': 'Passkey added.',
    'passkey-renamed': 'Passkey renamed.',
    'passkey-removed': 'Passkey removed.',
    'email-sent':
      'Check your inbox: if the new address can be used, a link is on its way to it. Your address changes only when you open that link and confirm.',
  },

  /** What the last action could not do, by the `problem` code a route redirects with. */
  problems: {
    'passkey-failed': 'The passkey could not be added. Try again, or use another device.',
    'passkey-exists': 'That passkey is already registered.',
    'passkey-unknown': 'That passkey was not found on your account.',
  },

  profile: {
    title: 'Profile',
    lead: 'Applications you allow to see your profile receive these details. Leave a field empty to remove it.',
    email: 'Email',
    save: 'Save profile',
    labels: {
      name: 'Full name',
      given_name: 'Given name',
      family_name: 'Family name',
      nickname: 'Nickname',
      preferred_username: 'Preferred username',
      locale: 'Language',
      zoneinfo: 'Time zone',
      picture: 'Picture (web address)',
      website: 'Website',
    },
    hints: {
      locale: 'A language tag, such as en, en-GB or de-CH.',
      zoneinfo: 'Such as Europe/Berlin or America/New_York.',
    } as Readonly<Record<string, string>>,
    notSaved: 'Some details could not be saved. Check the fields marked below.',
    /** Each problem of operations/profile-form.ts, by its code. */
    rules: {
      too_long: (max: number) => `Use at most ${max} characters.`,
      control: 'Use letters, digits, spaces and punctuation only.',
      username_spaces: 'Use no spaces in a username.',
      locale: 'Use a language tag such as en, en-GB or de-CH.',
      zoneinfo: 'Use a time zone name such as Europe/Berlin or America/New_York.',
      url: 'Use a full web address starting with https:// (or http://).',
    },
  },

  password: {
    title: 'Password',
    lead: 'Changing your password signs you out everywhere else and stops applications from using what they were given before.',
    current: 'Current password',
    next: 'New password',
    hint: (min: number) => `At least ${min} characters.`,
    confirmation: 'New password again',
    submit: 'Change password',
    wrongCurrent: 'That is not your current password. Type it again.',
    notChanged: 'Your password was not changed.',
    tooManyTitle: 'Too many attempts',
    tooMany:
      'There have been too many wrong passwords for this account from here. Wait a few minutes, then try again.',
  },

  email: {
    title: 'E-mail address',
    current: 'Your address',
    verified: 'confirmed',
    unverified: 'not confirmed yet',
    lead: 'You sign in with this address. To change it, type the new one and your password: we send a link to the new address, and the change happens when you use it.',
    newAddress: 'New address',
    currentPassword: 'Current password',
    submit: 'Change address',
    noMail:
      'Changing your address needs e-mail, and this server does not send any. Ask the administrator to change it.',
    notAnEmail: 'Type an e-mail address, such as name@example.com.',
    same: 'That is already your address.',
    wrongCurrent: 'That is not your current password. Type it again.',
    notChanged: 'Your address was not changed.',
  },

  sessions: {
    title: 'Where you are signed in',
    lead: 'Each browser where you signed in. Signing one out also stops the applications you used there, except those you allowed to stay signed in.',
    thisBrowser: 'This browser',
    started: 'Signed in',
    lastSignIn: 'Last confirmed',
    methods: 'with',
    apps: 'Applications',
    noApps: 'No applications yet',
    signOut: 'Sign out',
    /** The button's accessible name: which session it signs out. */
    signOutLabel: (started: string) => `Sign out the session signed in ${started}`,
    signOutOthers: 'Sign out everywhere else',
    /** RFC 8176 authentication method references in plain words. */
    amr: {
      pwd: 'password',
      otp: 'one-time code',
      hwk: 'passkey',
      swk: 'passkey',
      user: 'screen lock',
      mfa: 'two factors',
    } as Readonly<Record<string, string>>,
    notYours: 'That session is not one of yours, or it has already ended.',
  },

  apps: {
    title: 'Connected applications',
    lead: 'Applications you allowed to use your account. Revoking one takes back what you allowed and signs it out; it asks again next time you use it.',
    none: 'You have not allowed any application yet.',
    canDo: 'Can:',
    revoke: 'Revoke',
    revokeLabel: (name: string) => `Revoke ${name}`,
    notConnected: 'That application is not connected to your account.',
  },

  passkeys: {
    title: 'Passkeys',
    intro:
      'A passkey signs you in with your fingerprint, face, or device PIN instead of your password.',
    none: 'You have no passkeys yet.',
    add: 'Add a passkey',
    reauth: 'Sign in again to add a passkey',
    nameLabel: 'Name for the new passkey (optional)',
    /** The name of a passkey added without one. */
    defaultName: 'Passkey',
    added: (day: string) => `Added ${day}`,
    neverUsed: 'never used',
    lastUsed: (day: string) => `last used ${day}`,
    synced: 'synced',
    newName: 'New name',
    rename: 'Rename',
    remove: 'Remove',
  },

  /** The one-time-code settings (routes/account/one-time-codes.ts). */
  oneTimeCodes: {
    enrolTitle: 'Set up one-time codes',
    enrolLead: (email: string) =>
      `Scan this QR code with an authenticator app (for ${email}), then type the six-digit code it shows.`,
    qrAlt: 'QR code for your authenticator app; the same key is written below',
    cannotScan: "Can't scan it? Enter this key in the app instead:",
    codeLabel: 'Code from the app',
    turnOn: 'Turn on one-time codes',
    wrongCode:
      'That code did not match. Check the time on your phone, then type the code the app shows now.',
    recoveryTitle: 'Save your recovery codes',
    recoveryLead:
      'One-time codes are on. If you lose your phone, each of these codes signs you in once instead of a one-time code. Keep them somewhere safe: they are shown only now.',
    recoveryList: 'Recovery codes',
    done: 'Done',
    statusTitle: 'One-time codes',
    statusLead:
      'One-time codes are on: signing in asks for a code from your authenticator app after your password.',
    remaining: (count: string) => `You have ${count} unused recovery codes.`,
    newRecoveryCodes: 'Make new recovery codes',
    turnOff: 'Turn off one-time codes',
    backToAccount: 'Back to your account',
    offTitle: 'One-time codes are off',
    off: 'Signing in now asks for your password only, and your recovery codes no longer work. Applications that require a second factor will ask you to set one up again.',
    setUpAgain: 'Set up one-time codes again',
    /** The account page's section that leads to these settings. */
    sectionTitle: 'One-time codes',
    sectionLead:
      'A code from an authenticator app on your phone, asked for after your password, keeps your account safe even if someone learns your password.',
    isOn: 'One-time codes are on.',
    isOff: 'One-time codes are off.',
    manage: 'Manage one-time codes',
    setUp: 'Set up one-time codes',
    confirmTitle: "Confirm it's you",
    confirmLead: (askCode: boolean) =>
      `Changing one-time codes needs a recent sign-in. Enter your password${askCode ? ' and a one-time code' : ''}.`,
    email: 'Email',
    password: 'Password',
    codeOrRecovery: 'One-time code or recovery code',
    continue: 'Continue',
    wrong: 'That did not match. Check your password and code, then try again.',
    csrfTitle: 'This form could not be accepted',
    csrf: (path: string) => `It did not come from this browser's pages. Open ${path} again.`,
    tooManyTitle: 'Too many attempts',
    tooMany: 'There have been too many failed attempts. Wait a few minutes, then try again.',
    lockedTitle: 'Too many wrong codes',
    locked: (minutes: number) =>
      `One-time codes for this account are paused after several wrong codes. Wait ${minutes} minutes, then try again.`,
  },
};
