import { StoreError } from '@idp/db';
import type { Command } from 'commander';
import { sendEmailLink } from '../../email/email-links.js';
import { securityNoticeMessage } from '../../email/security-notice.js';
import { DEFAULT_LOCALE, LOCALES, supportedLocale, type Locale } from '../../i18n/index.js';
import { OperationError } from '../../operations/operation-error.js';
import {
  checkEmail as checkedEmail,
  createUser,
  findUserByEmail,
  revokeUserSessions,
  setUserAdmin,
  setUserDisabled,
  setUserPassword,
  unlockUser,
  resetFactors,
  type TellOwner,
  type UserOperationDeps,
} from '../../operations/user-operations.js';
import { MIN_PASSWORD_LENGTH } from '../../passwords.js';
import type { Services } from '../../services.js';
import { CliError } from '../cli-error.js';
import type { CliContext } from '../context.js';
import { table, when } from '../output.js';
import { notifyEndedSessions } from '../notify-ended-sessions.js';
import { obtainPassword } from '../password-input.js';

const ACTOR = 'cli';

interface PasswordOptions {
  password?: string;
  passwordStdin?: boolean;
}

function rethrow(error: unknown): never {
  if (error instanceof StoreError || error instanceof OperationError)
    throw new CliError(error.message);
  throw error;
}

/** Runs an admin operation, its refusals printed as the CLI's one-line errors. */
function run<T>(operation: Promise<T>): Promise<T> {
  return operation.catch(rethrow);
}

function checkEmail(email: string): string {
  try {
    return checkedEmail(email);
  } catch (error) {
    return rethrow(error);
  }
}

/**
 * The services as the user operations take them: the clients of the sessions an operation ends
 * are told before it returns, one printed line per logout token. Signing those needs the kek, so
 * without it such an operation is refused before it ends anything no client would hear of;
 * `endsSessions: false` (adding or enabling a user) needs no kek.
 */
async function operationDeps(ctx: CliContext, endsSessions = true): Promise<UserOperationDeps> {
  const services = await ctx.services({ keys: endsSessions });
  return {
    ...services,
    notifyEndedSessions: async (ended) => {
      await notifyEndedSessions(ctx, ended);
    },
    tellOwner: tellOwnerByMail(ctx, services),
  };
}

/**
 * The security notice of an administrator's change, sent before the command returns (the CLI
 * has no outbox); a failure to send is a warning, since the change itself was made.
 */
function tellOwnerByMail(ctx: CliContext, services: Services): TellOwner {
  return async (user, kind) => {
    if (!services.mailer) return;
    const notice = { user, locale: DEFAULT_LOCALE };
    await services.mailer
      .send(securityNoticeMessage(services, kind, notice))
      .then(() => ctx.out(`${user.email} was told by e-mail`))
      .catch((error: unknown) =>
        process.stderr.write(
          `warning: the notice to ${user.email} was not sent: ${String(error)}\n`,
        ),
      );
  };
}

function passwordOptions(command: Command): Command {
  return command
    .option('--password-stdin', 'read the password from standard input')
    .option(
      '--password <password>',
      'the password (visible to other local users in the process list; prefer --password-stdin)',
    );
}

/** The `--locale` tag as a language the e-mails are written in; anything else is refused. */
function checkLocale(tag: string): Locale {
  const locale = supportedLocale(tag);
  if (!locale)
    throw new CliError(
      `--locale ${tag} is not a language of the e-mails: use ${LOCALES.join(' or ')}`,
    );
  return locale;
}

/** The user's `locale` claim (OIDC Core 5.1, BCP 47) when the e-mails speak it, else English. */
function claimedLocale(claim: unknown): Locale {
  return (typeof claim === 'string' ? supportedLocale(claim) : undefined) ?? DEFAULT_LOCALE;
}

export function usersCommand(program: Command, ctx: CliContext): void {
  const users = program
    .command('users')
    .description(
      'people who log in: add, list, disable, enable, set-password, sessions, unlock, reset-factors, grant-admin, revoke-admin, send-reset, send-verification',
    );

  passwordOptions(
    users
      .command('add')
      .description('add a user (asks for the password unless --password-stdin)')
      .argument('<email>', 'login name and email claim')
      .option('--name <name>', 'full name (the name claim)')
      .option('--given-name <name>', 'given_name claim')
      .option('--family-name <name>', 'family_name claim')
      .option('--email-verified', 'mark the email address as verified'),
  ).action(
    async (
      email: string,
      options: PasswordOptions & {
        name?: string;
        givenName?: string;
        familyName?: string;
        emailVerified?: boolean;
      },
    ) => {
      const address = checkEmail(email);
      const password = await obtainPassword(options, MIN_PASSWORD_LENGTH);
      const claims = {
        ...(options.name ? { name: options.name } : {}),
        ...(options.givenName ? { given_name: options.givenName } : {}),
        ...(options.familyName ? { family_name: options.familyName } : {}),
        email_verified: options.emailVerified === true,
      };
      const user = await run(
        createUser(await operationDeps(ctx, false), { email: address, password, claims }, ACTOR),
      );
      ctx.out(`added user ${user.email} (sub ${user.id})`);
    },
  );

  users
    .command('list')
    .description('list users')
    .option('--json', 'print JSON instead of a table')
    .action(async (options: { json?: boolean }) => {
      const { users: store } = await ctx.services();
      const list = await store.list();
      if (options.json) {
        return ctx.out(
          JSON.stringify(
            list.map((u) => ({
              sub: u.id,
              email: u.email,
              disabled: u.disabled,
              admin: u.admin,
              ...u.claims,
            })),
            null,
            2,
          ),
        );
      }
      ctx.out(
        table(
          ['EMAIL', 'SUB', 'NAME', 'STATUS', 'CREATED'],
          list.map((u) => [
            u.email,
            u.id,
            u.claims.name ?? '',
            (u.disabled ? 'disabled' : 'enabled') + (u.admin ? ',admin' : ''),
            when(u.createdAt),
          ]),
        ),
      );
    });

  for (const [name, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    users
      .command(name)
      .description(
        disabled ? "block logins and revoke the user's sessions and tokens" : 'allow logins again',
      )
      .argument('<email>')
      .action(async (email: string) => {
        const deps = await operationDeps(ctx, disabled);
        const found = await run(findUserByEmail(deps, email));
        const user = await run(setUserDisabled(deps, found, disabled, ACTOR));
        ctx.out(`${user.email} ${disabled ? 'disabled; sessions and tokens revoked' : 'enabled'}`);
      });
  }

  for (const [name, admin] of [
    ['grant-admin', true],
    ['revoke-admin', false],
  ] as const) {
    users
      .command(name)
      .description(
        admin
          ? 'give a user the admin role: the console at /admin and the admin API with their own sign-in'
          : 'take the admin role back; their admin tokens stop working at their next call',
      )
      .argument('<email>')
      .action(async (email: string) => {
        const services = await ctx.services();
        const found = await run(findUserByEmail(services, email));
        const user = await run(setUserAdmin(services, found, admin, ACTOR));
        ctx.out(
          admin
            ? `${user.email} is an administrator: they sign in to ${ctx.config.issuer}/admin`
            : `${user.email} is no longer an administrator`,
        );
      });
  }

  users
    .command('sessions')
    .description(
      "list a user's live browser sessions; --revoke ends them all and revokes every token family",
    )
    .argument('<email>')
    .option('--revoke', 'end all sessions and revoke all refresh tokens (offline ones too)')
    .action(async (email: string, options: { revoke?: boolean }) => {
      const services = await ctx.services();
      const user = await run(findUserByEmail(services, email));
      if (options.revoke) {
        await run(revokeUserSessions(await operationDeps(ctx), user, ACTOR));
        return ctx.out(`all sessions of ${user.email} ended; all token families revoked`);
      }
      const sessions = await services.sessions.listForUser(user.id, services.clock.now());
      ctx.out(
        table(
          ['SESSION', 'SIGNED IN', 'EXPIRES', 'METHODS'],
          sessions.map((s) => [
            s.id.slice(0, 16),
            when(s.authTime),
            when(s.expiresAt),
            s.amr.join(','),
          ]),
        ),
      );
    });

  users
    .command('unlock')
    .description(
      'forgive the failed sign-ins counted so far against a user, so that no source is refused for them',
    )
    .argument('<email>')
    .action(async (email: string) => {
      const services = await ctx.services();
      const user = await run(findUserByEmail(services, email));
      await run(unlockUser(services, user, ACTOR));
      ctx.out(
        `${user.email} unlocked: failed sign-ins counted before now no longer refuse it, on every server instance`,
      );
    });

  users
    .command('reset-factors')
    .description(
      "remove a user's second factors and passkeys (one-time codes, recovery codes, passkeys): for a lost phone or key; they sign in with the password alone until they enrol again",
    )
    .argument('<email>')
    .action(async (email: string) => {
      const services = await ctx.services();
      const user = await run(findUserByEmail(services, email));
      const deps = { ...services, tellOwner: tellOwnerByMail(ctx, services) };
      const removed = await run(resetFactors(deps, user, ACTOR));
      const parts = [
        ...(removed.oneTimeCodes ? ['one-time codes and recovery codes'] : []),
        ...(removed.passkeys > 0 ? [`${removed.passkeys} passkey(s)`] : []),
      ];
      ctx.out(
        parts.length > 0
          ? `${user.email}: ${parts.join(' and ')} removed`
          : `${user.email} had no second factor: nothing removed`,
      );
    });

  passwordOptions(
    users
      .command('set-password')
      .description("set a new password; ends the user's sessions and revokes their tokens")
      .argument('<email>'),
  ).action(async (email: string, options: PasswordOptions) => {
    const deps = await operationDeps(ctx);
    const found = await run(findUserByEmail(deps, email));
    const password = await obtainPassword(options, MIN_PASSWORD_LENGTH);
    const user = await run(setUserPassword(deps, found, password, ACTOR));
    ctx.out(`password of ${user.email} changed; sessions and tokens revoked`);
  });

  for (const [name, purpose, description] of [
    [
      'send-reset',
      'password_reset',
      'e-mail the user a single-use link to choose a new password (needs IDP_SMTP_URL)',
    ],
    [
      'send-verification',
      'email_verification',
      'e-mail the user a single-use link that confirms their address (needs IDP_SMTP_URL)',
    ],
  ] as const) {
    users
      .command(name)
      .description(description)
      .argument('<email>')
      .option(
        '--locale <tag>',
        `language of the e-mail and of the page it links to (${LOCALES.join(', ')}); default: the user's locale claim, else en`,
      )
      .action(async (email: string, options: { locale?: string }) => {
        const chosen = options.locale === undefined ? undefined : checkLocale(options.locale);
        const services = await ctx.services();
        const { mailer } = services;
        if (!mailer)
          throw new CliError('IDP_SMTP_URL is not set, so no e-mail can be sent: set it and retry');
        const address = checkEmail(email);
        const user = await services.users.findByEmail(address);
        if (!user) throw new CliError(`no user with email ${address}`);
        if (user.disabled) throw new CliError(`${address} is disabled: enable it first`);
        const locale = chosen ?? claimedLocale(user.claims.locale);
        try {
          await sendEmailLink({ ...services, mailer }, purpose, user, { actor: ACTOR }, locale);
        } catch (error) {
          throw new CliError(
            `could not send the e-mail: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
        ctx.out(
          `sent ${name === 'send-reset' ? 'a password-reset' : 'an address-verification'} link to ${address} (language: ${locale})`,
        );
      });
  }
}
