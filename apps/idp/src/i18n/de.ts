import { deAccount } from './de-account.js';
import type { Messages } from './en.js';

/**
 * Die deutschen Texte: formelle Anrede („Sie“), so wie Anmeldeseiten von Organisationen
 * üblicherweise schreiben. Typed `Messages`, so every English key must be here.
 */
export const de: Messages = {
  login: {
    title: 'Anmelden',
    pageTitle: (client) => `Bei ${client} anmelden`,
    lead: 'weiter zu',
    email: 'E-Mail',
    password: 'Passwort',
    submit: 'Anmelden',
    forgot: 'Passwort vergessen?',
    signUpLead: 'Neu hier?',
    signUp: 'Konto erstellen',
    passkey: 'Mit einem Passkey anmelden',
    wrongCredentials:
      'Diese E-Mail-Adresse und dieses Passwort passen zu keinem Konto. Bitte prüfen Sie beides und versuchen Sie es erneut.',
    tooManyTitle: 'Zu viele Versuche',
    refusals: {
      account_source:
        'Von hier aus gab es zu viele fehlgeschlagene Anmeldeversuche für dieses Konto. Warten Sie einige Minuten und versuchen Sie es dann erneut.',
      address:
        'Aus Ihrem Netzwerk kamen zu viele fehlgeschlagene Anmeldeversuche. Warten Sie eine Minute und versuchen Sie es dann erneut. Konten, bei denen Sie sich von diesem Browser oder Netzwerk aus schon angemeldet haben, sind nicht betroffen.',
      new_source:
        'Für dieses Konto gibt es viele fehlgeschlagene Anmeldeversuche, daher werden Anmeldungen von neuen Geräten verlangsamt. Warten Sie eine Minute und versuchen Sie es erneut, oder melden Sie sich von einem Gerät an, das Sie schon einmal verwendet haben.',
    },
  },

  oneTimeCode: {
    title: 'Einmalcode eingeben',
    lead: 'Öffnen Sie Ihre Authenticator-App und geben Sie den angezeigten Code ein, um fortzufahren zu',
    code: 'Einmalcode',
    useRecovery: 'Stattdessen einen Wiederherstellungscode verwenden',
    recoveryCode: 'Wiederherstellungscode',
    submit: 'Weiter',
    passkeyTitle: 'Mit einem Passkey bestätigen',
    passkeyLead:
      'Ihr Passwort war richtig. Verwenden Sie jetzt einen Ihrer Passkeys, um fortzufahren zu',
    or: 'Oder',
    usePasskey: 'Einen Passkey verwenden',
    wrongCode:
      'Dieser Code hat nicht funktioniert. Geben Sie den Code ein, den Ihre App jetzt anzeigt (jeder Code gilt nur einmal), oder einen Wiederherstellungscode.',
    passkeyRefused:
      'Dieser Passkey konnte nicht verwendet werden. Verwenden Sie einen Passkey, der zu Ihrem Konto gehört, und versuchen Sie es erneut.',
    passkeyExpired:
      'Die Passkey-Anfrage ist abgelaufen oder wurde schon verwendet. Versuchen Sie es erneut.',
    lockedTitle: 'Zu viele falsche Codes',
    locked: (minutes) =>
      `Einmalcodes für dieses Konto sind nach mehreren falschen Codes pausiert. Warten Sie ${minutes} Minuten und melden Sie sich dann erneut an.`,
    notThisStepTitle: 'Dieses Formular konnte nicht angenommen werden',
    notThisStep: 'Gehen Sie zurück zur Anwendung und beginnen Sie die Anmeldung erneut.',
    signedOutTitle: 'Sie wurden abgemeldet',
    signedOut: 'Gehen Sie zurück zur Anwendung und melden Sie sich erneut an.',
    cannotSignInTitle: 'Dieses Konto kann sich nicht anmelden',
    cannotSignIn: 'Gehen Sie zurück zur Anwendung und beginnen Sie erneut.',
    noneTitle: 'Ein zweiter Faktor ist nötig',
    none: (client) =>
      `${client} verlangt neben Ihrem Passwort einen Einmalcode, und für Ihr Konto sind noch keine Einmalcodes eingerichtet. Richten Sie Einmalcodes ein, gehen Sie dann zurück zu ${client} und melden Sie sich erneut an.`,
    setUp: 'Einmalcodes einrichten',
  },

  accountSignIn: {
    // Dative: the login page says "Bei Ihrem Konto anmelden" and "weiter zu Ihrem Konto".
    destination: 'Ihrem Konto',
    expiredTitle: 'Diese Seite ist abgelaufen',
    expired: 'Öffnen Sie Ihre Kontoseite erneut, um sich anzumelden.',
    csrfTitle: 'Dieses Formular konnte nicht angenommen werden',
    csrf: 'Es stammt nicht von den Seiten dieses Browsers. Öffnen Sie Ihre Kontoseite erneut, um sich anzumelden.',
    usedTitle: 'Diese Seite wurde schon verwendet',
    used: 'Jede Anmeldeseite kann nur einmal gesendet werden. Öffnen Sie Ihre Kontoseite erneut, um sich anzumelden.',
    goneTitle: 'Dieses Konto kann sich nicht anmelden',
    gone: 'Öffnen Sie Ihre Kontoseite erneut, um sich anzumelden.',
  },

  account: deAccount,

  passkeyCeremony: {
    cancelled:
      'Die Passkey-Anfrage wurde abgebrochen oder ist abgelaufen. Versuchen Sie es erneut.',
    failed:
      'Ihr Passkey konnte hier nicht verwendet werden. Versuchen Sie es erneut oder melden Sie sich anders an.',
    refused:
      'Mit diesem Passkey konnten Sie nicht angemeldet werden. Versuchen Sie es erneut oder melden Sie sich mit Ihrem Passwort an.',
    expired:
      'Die Passkey-Anfrage ist abgelaufen oder wurde bereits verwendet. Versuchen Sie es erneut.',
  },

  consent: {
    heading: (client) => `${client} möchte auf Ihr Konto zugreifen`,
    pageTitle: (client) => `${client} Zugriff auf Ihr Konto erlauben?`,
    signedInAs: 'Angemeldet als',
    device:
      'Ein Gerät fragt über den eingegebenen Code an. Erlauben Sie dies nur, wenn Sie den Vorgang gerade selbst auf Ihrem eigenen Gerät gestartet haben.',
    unregistered: (host) =>
      `Diese Anwendung ist bei diesem Dienst nicht registriert: Sie beschreibt sich selbst in einem Dokument auf ${host}. Erlauben Sie den Zugriff nur, wenn Sie ${host} vertrauen.`,
    resources: 'Der Zugriff gilt für:',
    willBeAbleTo: (client) => `${client} darf dann:`,
    allow: 'Erlauben',
    deny: 'Ablehnen',
    noChoiceTitle: 'Es wurde keine Auswahl getroffen',
    noChoice: 'Wählen Sie auf der Zustimmungsseite „Erlauben“ oder „Ablehnen“.',
  },

  scopes: {
    openid: 'Bestätigen, wer Sie sind',
    profile: 'Ihren Namen, Ihr Bild und weitere Profilangaben sehen',
    email: 'Ihre E-Mail-Adresse sehen',
    address: 'Ihre Postanschrift sehen',
    phone: 'Ihre Telefonnummer sehen',
    offline_access: 'Angemeldet bleiben: Zugriff auch, wenn Sie die Anwendung nicht nutzen',
  },

  claims: {
    name: 'Ihren vollständigen Namen',
    given_name: 'Ihren Vornamen',
    family_name: 'Ihren Nachnamen',
    middle_name: 'Ihren zweiten Vornamen',
    nickname: 'Ihren Spitznamen',
    preferred_username: 'Ihren bevorzugten Benutzernamen',
    profile: 'die Adresse Ihrer Profilseite',
    picture: 'Ihr Bild',
    website: 'Ihre Website',
    gender: 'Ihr Geschlecht',
    birthdate: 'Ihr Geburtsdatum',
    zoneinfo: 'Ihre Zeitzone',
    locale: 'Ihre Sprache und Region',
    updated_at: 'den Zeitpunkt der letzten Profiländerung',
    email: 'Ihre E-Mail-Adresse',
    email_verified: 'den Bestätigungsstatus Ihrer E-Mail-Adresse',
    address: 'Ihre Postanschrift',
    phone_number: 'Ihre Telefonnummer',
    phone_number_verified: 'den Bestätigungsstatus Ihrer Telefonnummer',
  },
  seeClaim: (what) => `${what[0]?.toUpperCase() ?? ''}${what.slice(1)} sehen`,

  authorizeError: {
    explain: (code) =>
      code === 'invalid_client'
        ? 'Die Anwendung, die Sie hierher geschickt hat, ist bei diesem Anmeldedienst nicht registriert.'
        : code === 'invalid_request'
          ? 'Die Anwendung hat eine unvollständige oder fehlerhafte Anmeldeanfrage geschickt. Die Angabe unten hilft ihren Betreibern, den Fehler zu finden.'
          : 'Die Anwendung hat eine Anmeldeanfrage geschickt, die dieser Dienst nicht annehmen kann. Die Angabe unten hilft ihren Betreibern, den Fehler zu finden.',
    detail: (code, description) => `${code}: ${description}`,
  },

  form: {
    expiredTitle: 'Diese Seite ist abgelaufen',
    expired: 'Kehren Sie zur Anwendung zurück und beginnen Sie die Anmeldung erneut.',
    csrfTitle: 'Dieses Formular konnte nicht angenommen werden',
    csrf: 'Es stammt nicht von den Anmeldeseiten in diesem Browser. Kehren Sie zur Anwendung zurück und beginnen Sie erneut.',
    invalidLinkTitle: 'Dieser Anmeldelink ist ungültig',
    clientGone: 'Die Anwendung ist nicht mehr registriert.',
    usedTitle: 'Diese Seite wurde bereits verwendet',
    used: 'Jede Anmeldeseite kann nur einmal abgeschickt werden, und diese wurde schon abgeschickt oder ist abgelaufen. Kehren Sie zur Anwendung zurück und beginnen Sie erneut.',
  },

  device: {
    title: 'Gerät verbinden',
    lead: 'Geben Sie den Code ein, den Ihr Gerät anzeigt. Sie sehen, worum es bittet, bevor etwas geteilt wird.',
    code: 'Code',
    submit: 'Weiter',
    wrongCode:
      'Dieser Code ist ungültig. Prüfen Sie den Code auf Ihrem Gerät und versuchen Sie es erneut.',
    csrf: 'Es stammt nicht von den Seiten in diesem Browser. Öffnen Sie den Link, den Ihr Gerät anzeigt, und versuchen Sie es erneut.',
    tooMany:
      'Es wurden zu viele falsche Codes eingegeben. Warten Sie einige Minuten und versuchen Sie es dann erneut.',
    expiredTitle: 'Dieser Code ist abgelaufen',
    expired:
      'Codes gelten nur wenige Minuten. Beginnen Sie auf Ihrem Gerät erneut, um einen neuen Code zu erhalten.',
    answeredTitle: 'Dieser Code wurde bereits verwendet',
    answered:
      'Das Gerät wurde damit bereits erlaubt oder abgelehnt. Beginnen Sie auf Ihrem Gerät erneut, wenn Sie einen neuen Code brauchen.',
    clientGoneTitle: 'Dieser Code ist ungültig',
    clientGone: 'Die Anwendung, die ihn angefordert hat, ist nicht mehr registriert.',
    noLongerValidTitle: 'Dieser Code kann nicht mehr verwendet werden',
    noLongerValid:
      'Er ist abgelaufen oder wurde bereits beantwortet. Beginnen Sie auf Ihrem Gerät erneut, um einen neuen Code zu erhalten.',
    connectedTitle: 'Gerät verbunden',
    connected: (client) =>
      `Sie haben ${client} erlaubt. Kehren Sie zu Ihrem Gerät zurück: Es macht von selbst weiter.`,
    deniedTitle: 'Gerät nicht verbunden',
    denied: (client) =>
      `Sie haben ${client} den Zugriff verweigert. Mit dem Gerät wurde nichts geteilt.`,
  },

  logout: {
    title: 'Abmelden?',
    signedInAs: (email) => `Sie sind als ${email} angemeldet.`,
    signOut: 'Abmelden',
    stay: 'Angemeldet bleiben',
    signedOutTitle: 'Sie sind abgemeldet',
    closeWindow: 'Sie können dieses Fenster schließen.',
    frameTitle: 'Abmeldung bei einer Anwendung',
    continue: 'Weiter',
    notValidTitle: 'Dieser Abmeldelink ist ungültig',
    unreadable: 'Seine Parameter konnten nicht gelesen werden.',
    explain: () =>
      'Die Anwendung hat eine Abmeldeanfrage geschickt, die dieser Dienst nicht annehmen kann. Die Angabe unten hilft ihren Betreibern, den Fehler zu finden.',
    detail: (problem) => problem,
    expiredTitle: 'Diese Abmeldeseite ist abgelaufen',
    expired: 'Beginnen Sie die Abmeldung erneut in der Anwendung.',
    stillSignedInTitle: 'Sie sind weiterhin angemeldet',
    stillSignedIn: 'Es wurde nichts geändert. Sie können dieses Fenster schließen.',
  },

  formPost: {
    title: 'Zurück zur Anwendung',
    noScript:
      'JavaScript ist in Ihrem Browser ausgeschaltet. Wählen Sie daher „Weiter“, um die Anmeldung abzuschließen.',
    continue: 'Weiter',
  },

  unavailable: {
    title: 'Vorübergehend nicht verfügbar',
    message:
      'Der Anmeldedienst erreicht gerade seine Datenbank nicht; es wurde nichts geändert. Bitte versuchen Sie es in einigen Sekunden erneut.',
    sharedStoreMessage:
      'Der Anmeldedienst erreicht gerade seinen gemeinsamen Speicher nicht; es wurde nichts geändert. Bitte versuchen Sie es in einigen Sekunden erneut.',
  },

  emailForms: {
    unavailableTitle: 'E-Mail ist nicht eingerichtet',
    unavailable:
      'Dieser Server kann keine E-Mails senden, also auch keine Links zum Zurücksetzen des Passworts oder zur Bestätigung. Bitten Sie die Verwaltung dieses Dienstes um Hilfe.',
    backToSignIn: 'Zurück zur Anmeldung',
    csrfTitle: 'Dieses Formular konnte nicht angenommen werden',
    csrf: 'Es stammt nicht von den Seiten in diesem Browser. Gehen Sie zurück und versuchen Sie es erneut.',
    tooManyTitle: 'Zu viele Versuche',
    tooMany:
      'Aus Ihrem Netzwerk kamen zu viele Anfragen. Warten Sie einige Minuten und versuchen Sie es dann erneut.',
    passwordTooShort: (min) => `Wählen Sie ein Passwort mit mindestens ${min} Zeichen.`,
    passwordTooLong: (max) => `Wählen Sie ein Passwort mit höchstens ${max} Zeichen.`,
    passwordsDiffer:
      'Die beiden Passwörter sind verschieden. Geben Sie zweimal dasselbe Passwort ein.',
    notAnEmail: 'Das ist keine E-Mail-Adresse. Bitte prüfen Sie sie und versuchen Sie es erneut.',
    continue: 'Weiter zur Anmeldung',
  },

  forgotPassword: {
    title: 'Passwort zurücksetzen',
    lead: 'Geben Sie die E-Mail-Adresse Ihres Kontos ein. Wir senden Ihnen einen Link, mit dem Sie ein neues Passwort wählen können.',
    email: 'E-Mail',
    submit: 'Link senden',
    back: 'Zurück zur Anmeldung',
    sentTitle: 'Prüfen Sie Ihr E-Mail-Postfach',
    sent: (email) =>
      `Falls ${email} zu einem Konto gehört, haben wir dorthin einen Link geschickt, mit dem Sie ein neues Passwort wählen können. Der Link funktioniert einmal und nur für begrenzte Zeit. Nichts angekommen? Sehen Sie im Spam-Ordner nach oder fragen Sie in einigen Minuten erneut an.`,
  },

  newPassword: {
    title: 'Neues Passwort wählen',
    lead: (email) => `für ${email}. Sie werden überall abgemeldet.`,
    password: 'Neues Passwort',
    hint: (min) => `Mindestens ${min} Zeichen.`,
    confirmation: 'Neues Passwort wiederholen',
    submit: 'Passwort ändern',
    invalidTitle: 'Dieser Link funktioniert nicht mehr',
    invalid:
      'Links zum Zurücksetzen des Passworts funktionieren einmal, für begrenzte Zeit, und nur der zuletzt angeforderte. Fordern Sie einen neuen Link an.',
    askAgain: 'Neuen Link anfordern',
    doneTitle: 'Ihr Passwort wurde geändert',
    done: 'Sie sind überall abgemeldet. Melden Sie sich mit Ihrem neuen Passwort erneut an, hier oder in der Anwendung.',
  },

  verifyEmail: {
    title: 'E-Mail-Adresse bestätigen',
    lead: (email) => `Bestätigen Sie, dass ${email} Ihre Adresse ist.`,
    submit: 'Meine Adresse bestätigen',
    invalidTitle: 'Dieser Link funktioniert nicht mehr',
    invalid:
      'Bestätigungslinks funktionieren einmal und nur für begrenzte Zeit. Falls Ihre Adresse noch nicht bestätigt ist, melden Sie sich an und bitten Sie die Verwaltung um einen neuen Link.',
    doneTitle: 'Ihre E-Mail-Adresse ist bestätigt',
    done: (email) => `Vielen Dank: ${email} ist bestätigt.`,
  },

  changeEmail: {
    title: 'E-Mail-Adresse ändern',
    lead: (email) => `Ab jetzt ${email} für Ihr Konto verwenden.`,
    submit: 'Diese Adresse verwenden',
    invalidTitle: 'Dieser Link funktioniert nicht mehr',
    invalid:
      'Links zum Ändern der Adresse funktionieren einmal, nur für begrenzte Zeit und nur, solange das Konto noch die Adresse hat, von der aus sie angefordert wurden. Fordern Sie auf Ihrer Kontoseite einen neuen an.',
    takenTitle: 'Die Adresse wurde nicht geändert',
    taken:
      'Diese Adresse kann für Ihr Konto nicht verwendet werden. Es wurde nichts geändert; Sie melden sich weiter mit Ihrer bisherigen Adresse an.',
    doneTitle: 'Ihre E-Mail-Adresse wurde geändert',
    done: (email) => `Ab jetzt melden Sie sich mit ${email} an. Sie ist bestätigt.`,
  },

  signUp: {
    title: 'Konto erstellen',
    lead: 'Wir senden einen Link an Ihre E-Mail-Adresse, um sie zu bestätigen.',
    email: 'E-Mail',
    name: 'Name',
    password: 'Passwort',
    hint: (min) => `Mindestens ${min} Zeichen.`,
    confirmation: 'Passwort wiederholen',
    submit: 'Konto erstellen',
    back: 'Sie haben schon ein Konto? Anmelden',
    offTitle: 'Registrierung ist hier nicht möglich',
    off: 'Konten für diesen Dienst legt dessen Verwaltung an. Bitten Sie dort um eines.',
    sentTitle: 'Prüfen Sie Ihr E-Mail-Postfach',
    sent: (email) =>
      `Wir haben einen Link an ${email} geschickt. Folgen Sie ihm, um Ihre Adresse zu bestätigen; bis dahin gilt sie für Anwendungen als unbestätigt.`,
  },

  mail: {
    at: (intro, site) => `${intro} bei ${site}.`,
    duration: (minutes) =>
      minutes % 1440 === 0
        ? `${minutes / 1440} ${minutes === 1440 ? 'Tag' : 'Tage'}`
        : minutes % 60 === 0
          ? `${minutes / 60} ${minutes === 60 ? 'Stunde' : 'Stunden'}`
          : `${minutes} ${minutes === 1 ? 'Minute' : 'Minuten'}`,
    passwordReset: {
      subject: 'Passwort zurücksetzen',
      intro:
        'Jemand, wahrscheinlich Sie, hat darum gebeten, das Passwort Ihres Kontos zurückzusetzen',
      action: 'Neues Passwort wählen',
      expiry: (duration) =>
        `Der Link funktioniert einmal, ${duration} lang. Mit einem neuen Passwort werden Sie überall abgemeldet.`,
      ignore:
        'Falls Sie das nicht angefordert haben, ignorieren Sie diese Nachricht: Ihr Passwort bleibt unverändert.',
    },
    verification: {
      subject: 'E-Mail-Adresse bestätigen',
      intro: 'Bitte bestätigen Sie, dass diese Adresse zu Ihrem Konto gehört',
      action: 'Meine Adresse bestätigen',
      expiry: (duration) => `Der Link funktioniert einmal, ${duration} lang.`,
      ignore: 'Falls Sie kein Konto erstellt haben, ignorieren Sie diese Nachricht.',
    },
    alreadyRegistered: {
      subject: 'Sie haben bereits ein Konto',
      intro:
        'Jemand, wahrscheinlich Sie, wollte mit dieser Adresse ein Konto erstellen, doch es gibt bereits eines',
      action: 'Passwort zurücksetzen',
      expiry: () => 'Falls Sie Ihr Passwort vergessen haben, können Sie hier ein neues wählen.',
      ignore:
        'Falls Sie das nicht waren, ignorieren Sie diese Nachricht: Es wurde nichts geändert.',
    },
    emailChange: {
      subject: 'Bestätigen Sie Ihre neue E-Mail-Adresse',
      intro: 'Jemand, wahrscheinlich Sie, möchte diese Adresse für sein Konto verwenden',
      action: 'Diese Adresse verwenden',
      expiry: (duration) =>
        `Der Link funktioniert einmal, ${duration} lang. Danach melden Sie sich mit dieser Adresse an.`,
      ignore:
        'Falls Sie das nicht angefordert haben, ignorieren Sie diese Nachricht: Es ändert sich nichts.',
    },
    emailChangeNotice: {
      subject: 'Ihre E-Mail-Adresse soll geändert werden',
      intro:
        'Jemand, wahrscheinlich Sie, möchte Ihr Konto auf eine andere E-Mail-Adresse umstellen',
      action: 'Ihr Konto öffnen',
      expiry: () => 'Es ändert sich nichts, bis der Link an die neue Adresse verwendet wird.',
      ignore:
        'Falls Sie das nicht waren, melden Sie sich an und ändern Sie sofort Ihr Passwort: Jemand kennt es vielleicht.',
    },
    notice: {
      emailChanged: {
        subject: 'Die E-Mail-Adresse Ihres Kontos wurde geändert',
        what: ({ site, date, time, address }) =>
          `Die E-Mail-Adresse Ihres Kontos bei ${site} wurde am ${date} um ${time} in ${address} geändert. Mit dieser Adresse melden Sie sich nicht mehr an.`,
      },
      passwordChanged: {
        subject: 'Ihr Passwort wurde geändert',
        what: ({ site, date, time }) =>
          `Das Passwort Ihres Kontos bei ${site} wurde am ${date} um ${time} auf der Kontoseite geändert.`,
      },
      passwordReset: {
        subject: 'Ihr Passwort wurde zurückgesetzt',
        what: ({ site, date, time }) =>
          `Das Passwort Ihres Kontos bei ${site} wurde am ${date} um ${time} über einen Link an diese Adresse zurückgesetzt. Alle Sitzungen wurden abgemeldet.`,
      },
      oneTimeCodesRemoved: {
        subject: 'Einmalcodes für Ihr Konto wurden ausgeschaltet',
        what: ({ site, date, time }) =>
          `Einmalcodes wurden für Ihr Konto bei ${site} am ${date} um ${time} ausgeschaltet. Bei der Anmeldung wird kein Code mehr abgefragt.`,
      },
      passkeyRemoved: {
        subject: 'Ein Passkey wurde von Ihrem Konto entfernt',
        what: ({ site, date, time }) =>
          `Ein Passkey wurde am ${date} um ${time} von Ihrem Konto bei ${site} entfernt. Mit ihm ist keine Anmeldung mehr möglich.`,
      },
      passkeyAdded: {
        subject: 'Ein Passkey wurde Ihrem Konto hinzugefügt',
        what: ({ site, date, time }) =>
          `Ihrem Konto bei ${site} wurde am ${date} um ${time} ein Passkey hinzugefügt. Mit ihm ist eine Anmeldung ohne Ihr Passwort möglich.`,
      },
      oneTimeCodesAdded: {
        subject: 'Einmalcodes für Ihr Konto wurden eingeschaltet',
        what: ({ site, date, time }) =>
          `Einmalcodes wurden für Ihr Konto bei ${site} am ${date} um ${time} eingeschaltet, mit neuen Wiederherstellungscodes.`,
      },
      recoveryCodesReplaced: {
        subject: 'Für Ihr Konto wurden neue Wiederherstellungscodes erstellt',
        what: ({ site, date, time }) =>
          `Für Ihr Konto bei ${site} wurden am ${date} um ${time} neue Wiederherstellungscodes erstellt. Die bisherigen gelten nicht mehr.`,
      },
      passwordSetByOperator: {
        subject: 'Ihr Passwort wurde von der Verwaltung neu gesetzt',
        what: ({ site, date, time }) =>
          `Die Verwaltung von ${site} hat am ${date} um ${time} ein neues Passwort für Ihr Konto gesetzt. Alle Sitzungen wurden abgemeldet.`,
      },
      factorsResetByOperator: {
        subject: 'Ihre Einmalcodes und Passkeys wurden von der Verwaltung entfernt',
        what: ({ site, date, time }) =>
          `Die Verwaltung von ${site} hat am ${date} um ${time} die Einmalcodes und Passkeys Ihres Kontos entfernt. Bei der Anmeldung wird nur noch Ihr Passwort abgefragt, bis Sie sie neu einrichten.`,
      },
      ifYou: 'Falls Sie das waren, ist nichts weiter zu tun.',
      ifYouAsked: 'Falls Sie darum gebeten haben, ist nichts weiter zu tun.',
      ifNotAsked:
        'Falls Sie nicht darum gebeten haben, hat vielleicht jemand in Ihrem Namen gefragt. Wählen Sie sofort ein neues Passwort (damit werden alle Sitzungen abgemeldet), auf dieser Seite',
      ifNotYou:
        'Falls Sie das nicht waren, verwendet vielleicht jemand anderes Ihr Konto. Wählen Sie sofort ein neues Passwort (damit werden alle Sitzungen abgemeldet), auf dieser Seite',
      contact: (site) => `Informieren Sie danach die Verwaltung von ${site}.`,
      ifNotYouMoved: (site) =>
        `Falls Sie das nicht waren, hat jemand anderes Ihr Konto übernommen: Informieren Sie sofort die Verwaltung von ${site}. Nur sie kann es wieder auf diese Adresse umstellen.`,
    },
  },
};
