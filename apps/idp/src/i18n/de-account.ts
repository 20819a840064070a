import type { Messages } from './en.js';

/** Die deutschen Texte des Kontobereichs (en-account.ts), formell wie de.ts. */
export const deAccount: Messages['account'] = {
  dateLocale: 'de-DE',

  page: {
    title: 'Ihr Konto',
    signedInAs: 'Angemeldet als',
    contents: 'Auf dieser Seite',
  },

  done: {
    profile: 'Ihr Profil wurde gespeichert.',
    profile_unchanged: 'An Ihrem Profil hat sich nichts geändert.',
    password: 'Ihr Passwort wurde geändert. Überall sonst sind Sie abgemeldet.',
    session: 'Dieser Browser wurde abgemeldet.',
    others: 'Sie sind überall sonst abgemeldet.',
    app: 'Der Zugriff der Anwendung wurde widerrufen. Beim nächsten Mal fragt sie erneut um Ihre Erlaubnis.',
    'passkey-added': 'Passkey hinzugefügt.',
    'passkey-renamed': 'Passkey umbenannt.',
    'passkey-removed': 'Passkey entfernt.',
    'email-sent':
      'Sehen Sie in Ihrem Posteingang nach: Falls die neue Adresse verwendet werden kann, ist ein Link an sie unterwegs. Ihre Adresse ändert sich erst, wenn Sie diesen Link öffnen und bestätigen.',
  },

  problems: {
    'passkey-failed':
      'Der Passkey konnte nicht hinzugefügt werden. Versuchen Sie es erneut oder verwenden Sie ein anderes Gerät.',
    'passkey-exists': 'Dieser Passkey ist bereits registriert.',
    'passkey-unknown': 'Dieser Passkey wurde in Ihrem Konto nicht gefunden.',
  },

  profile: {
    title: 'Profil',
    lead: 'Anwendungen, denen Sie den Zugriff auf Ihr Profil erlauben, erhalten diese Angaben. Lassen Sie ein Feld leer, um die Angabe zu entfernen.',
    email: 'E-Mail',
    save: 'Profil speichern',
    labels: {
      name: 'Vollständiger Name',
      given_name: 'Vorname',
      family_name: 'Nachname',
      nickname: 'Spitzname',
      preferred_username: 'Bevorzugter Benutzername',
      locale: 'Sprache',
      zoneinfo: 'Zeitzone',
      picture: 'Bild (Webadresse)',
      website: 'Website',
    },
    hints: {
      locale: 'Ein Sprachkürzel wie de, de-CH oder en-GB.',
      zoneinfo: 'Zum Beispiel Europe/Berlin oder America/New_York.',
    },
    notSaved:
      'Einige Angaben konnten nicht gespeichert werden. Prüfen Sie die unten markierten Felder.',
    rules: {
      too_long: (max) => `Verwenden Sie höchstens ${max} Zeichen.`,
      control: 'Verwenden Sie nur Buchstaben, Ziffern, Leerzeichen und Satzzeichen.',
      username_spaces: 'Ein Benutzername darf keine Leerzeichen enthalten.',
      locale: 'Verwenden Sie ein Sprachkürzel wie de, de-CH oder en-GB.',
      zoneinfo: 'Verwenden Sie einen Zeitzonennamen wie Europe/Berlin oder America/New_York.',
      url: 'Verwenden Sie eine vollständige Webadresse, die mit https:// (oder http://) beginnt.',
    },
  },

  password: {
    title: 'Passwort',
    lead: 'Wenn Sie Ihr Passwort ändern, werden Sie überall sonst abgemeldet, und Anwendungen können nicht mehr verwenden, was sie zuvor erhalten haben.',
    current: 'Aktuelles Passwort',
    next: 'Neues Passwort',
    hint: (min) => `Mindestens ${min} Zeichen.`,
    confirmation: 'Neues Passwort wiederholen',
    submit: 'Passwort ändern',
    wrongCurrent: 'Das ist nicht Ihr aktuelles Passwort. Geben Sie es erneut ein.',
    notChanged: 'Ihr Passwort wurde nicht geändert.',
    tooManyTitle: 'Zu viele Versuche',
    tooMany:
      'Von hier aus wurden für dieses Konto zu oft falsche Passwörter eingegeben. Warten Sie einige Minuten und versuchen Sie es dann erneut.',
  },

  email: {
    title: 'E-Mail-Adresse',
    current: 'Ihre Adresse',
    verified: 'bestätigt',
    unverified: 'noch nicht bestätigt',
    lead: 'Mit dieser Adresse melden Sie sich an. Um sie zu ändern, geben Sie die neue Adresse und Ihr Passwort ein: Wir senden einen Link an die neue Adresse, und die Änderung erfolgt, wenn Sie ihn verwenden.',
    newAddress: 'Neue Adresse',
    currentPassword: 'Aktuelles Passwort',
    submit: 'Adresse ändern',
    noMail:
      'Zum Ändern der Adresse braucht es E-Mail, und dieser Server versendet keine. Bitten Sie die Verwaltung, sie zu ändern.',
    notAnEmail: 'Geben Sie eine E-Mail-Adresse ein, etwa name@example.com.',
    same: 'Das ist bereits Ihre Adresse.',
    wrongCurrent: 'Das ist nicht Ihr aktuelles Passwort. Geben Sie es erneut ein.',
    notChanged: 'Ihre Adresse wurde nicht geändert.',
  },

  sessions: {
    title: 'Wo Sie angemeldet sind',
    lead: 'Jeder Browser, in dem Sie sich angemeldet haben. Wenn Sie einen abmelden, werden auch die Anwendungen gestoppt, die Sie dort verwendet haben, außer denen, die angemeldet bleiben dürfen.',
    thisBrowser: 'Dieser Browser',
    started: 'Angemeldet am',
    lastSignIn: 'Zuletzt bestätigt am',
    methods: 'mit',
    apps: 'Anwendungen',
    noApps: 'Noch keine Anwendungen',
    signOut: 'Abmelden',
    signOutLabel: (started) => `Die am ${started} begonnene Sitzung abmelden`,
    signOutOthers: 'Überall sonst abmelden',
    amr: {
      pwd: 'Passwort',
      otp: 'Einmalcode',
      hwk: 'Passkey',
      swk: 'Passkey',
      user: 'Bildschirmsperre',
      mfa: 'zwei Faktoren',
    },
    notYours: 'Diese Sitzung gehört nicht zu Ihnen oder ist bereits beendet.',
  },

  apps: {
    title: 'Verbundene Anwendungen',
    lead: 'Anwendungen, denen Sie die Nutzung Ihres Kontos erlaubt haben. Wenn Sie eine widerrufen, nehmen Sie Ihre Erlaubnis zurück und melden sie ab; bei der nächsten Nutzung fragt sie erneut.',
    none: 'Sie haben noch keiner Anwendung etwas erlaubt.',
    canDo: 'Darf:',
    revoke: 'Widerrufen',
    revokeLabel: (name) => `${name} widerrufen`,
    notConnected: 'Diese Anwendung ist nicht mit Ihrem Konto verbunden.',
  },

  passkeys: {
    title: 'Passkeys',
    intro:
      'Mit einem Passkey melden Sie sich per Fingerabdruck, Gesichtserkennung oder Geräte-PIN statt mit Ihrem Passwort an.',
    none: 'Sie haben noch keine Passkeys.',
    add: 'Passkey hinzufügen',
    reauth: 'Erneut anmelden, um einen Passkey hinzuzufügen',
    nameLabel: 'Name für den neuen Passkey (optional)',
    defaultName: 'Passkey',
    added: (day) => `Hinzugefügt am ${day}`,
    neverUsed: 'nie verwendet',
    lastUsed: (day) => `zuletzt verwendet am ${day}`,
    synced: 'synchronisiert',
    newName: 'Neuer Name',
    rename: 'Umbenennen',
    remove: 'Entfernen',
  },

  oneTimeCodes: {
    enrolTitle: 'Einmalcodes einrichten',
    enrolLead: (email) =>
      `Scannen Sie diesen QR-Code mit einer Authenticator-App (für ${email}) und geben Sie dann den sechsstelligen Code ein, den sie anzeigt.`,
    qrAlt: 'QR-Code für Ihre Authenticator-App; derselbe Schlüssel steht darunter',
    cannotScan: 'Scannen klappt nicht? Geben Sie stattdessen diesen Schlüssel in der App ein:',
    codeLabel: 'Code aus der App',
    turnOn: 'Einmalcodes einschalten',
    wrongCode:
      'Dieser Code passt nicht. Prüfen Sie die Uhrzeit Ihres Telefons und geben Sie den Code ein, den die App jetzt anzeigt.',
    // A soft hyphen: the long word breaks where German breaks it on a narrow card.
    recoveryTitle: 'Speichern Sie Ihre Wiederherstellungs\u00ADcodes',
    recoveryLead:
      'Einmalcodes sind eingeschaltet. Falls Sie Ihr Telefon verlieren, meldet Sie jeder dieser Codes einmal an, anstelle eines Einmalcodes. Bewahren Sie sie sicher auf: Sie werden nur jetzt angezeigt.',
    recoveryList: 'Wiederherstellungscodes',
    done: 'Fertig',
    statusTitle: 'Einmalcodes',
    statusLead:
      'Einmalcodes sind eingeschaltet: Bei der Anmeldung werden Sie nach Ihrem Passwort nach einem Code aus Ihrer Authenticator-App gefragt.',
    remaining: (count) => `Sie haben ${count} unbenutzte Wiederherstellungscodes.`,
    newRecoveryCodes: 'Neue Wiederherstellungscodes erstellen',
    turnOff: 'Einmalcodes ausschalten',
    backToAccount: 'Zurück zu Ihrem Konto',
    offTitle: 'Einmalcodes sind ausgeschaltet',
    off: 'Bei der Anmeldung wird jetzt nur noch Ihr Passwort verlangt, und Ihre Wiederherstellungscodes gelten nicht mehr. Anwendungen, die einen zweiten Faktor verlangen, bitten Sie, wieder einen einzurichten.',
    setUpAgain: 'Einmalcodes wieder einrichten',
    sectionTitle: 'Einmalcodes',
    sectionLead:
      'Ein Code aus einer Authenticator-App auf Ihrem Telefon, nach dem Passwort abgefragt, schützt Ihr Konto auch dann, wenn jemand Ihr Passwort kennt.',
    isOn: 'Einmalcodes sind eingeschaltet.',
    isOff: 'Einmalcodes sind ausgeschaltet.',
    manage: 'Einmalcodes verwalten',
    setUp: 'Einmalcodes einrichten',
    confirmTitle: 'Bestätigen Sie, dass Sie es sind',
    confirmLead: (askCode) =>
      `Um Einmalcodes zu ändern, ist eine kürzliche Anmeldung nötig. Geben Sie Ihr Passwort${askCode ? ' und einen Einmalcode' : ''} ein.`,
    email: 'E-Mail',
    password: 'Passwort',
    codeOrRecovery: 'Einmalcode oder Wiederherstellungscode',
    continue: 'Weiter',
    wrong: 'Das passt nicht. Prüfen Sie Ihr Passwort und Ihren Code und versuchen Sie es erneut.',
    csrfTitle: 'Dieses Formular konnte nicht angenommen werden',
    csrf: (path) => `Es stammt nicht von den Seiten dieses Browsers. Öffnen Sie ${path} erneut.`,
    tooManyTitle: 'Zu viele Versuche',
    tooMany:
      'Es gab zu viele fehlgeschlagene Versuche. Warten Sie einige Minuten und versuchen Sie es dann erneut.',
    lockedTitle: 'Zu viele falsche Codes',
    locked: (minutes) =>
      `Einmalcodes für dieses Konto sind nach mehreren falschen Codes pausiert. Warten Sie ${minutes} Minuten und versuchen Sie es dann erneut.`,
  },
};
