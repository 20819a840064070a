import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { invocationDirectory } from '@idp/config';
import { importSeed } from '@idp/db';
import { generateClientSecret, usesClientSecret } from '@idp/oidc';
import type { Command } from 'commander';
import { hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from '../../passwords.js';
import { CliError } from '../cli-error.js';
import type { CliContext } from '../context.js';
import { notifyEndedSessions } from '../notify-ended-sessions.js';
import { ignoredSeedMembers, jsonPath, nulCharacterPaths, seedSchema } from '../seed-schema.js';
import { registeredClient, serverDependentProblems } from '../../operations/client-operations.js';

export function importCommand(program: Command, ctx: CliContext): void {
  program
    .command('import')
    .description('create or update clients and users from a seed file (idempotent; all or nothing)')
    .argument(
      '<seed.json>',
      '{ "clients": [RFC 7591 metadata...], "users": [{ "email", "password", claims... }] }',
    )
    .action(async (file: string) => {
      const path = resolve(invocationDirectory(), file);
      let raw: unknown;
      try {
        raw = JSON.parse(await readFile(path, 'utf8'));
      } catch (error) {
        const reason =
          (error as NodeJS.ErrnoException).code === 'ENOENT'
            ? 'no such file'
            : (error as Error).message;
        throw new CliError(`${file}: ${reason}`);
      }
      const withNul = nulCharacterPaths(raw);
      if (withNul.length > 0) {
        throw new CliError(
          [
            `${file}: nothing imported; fix these first:`,
            ...withNul.map(
              (path) =>
                `  ${jsonPath(path) || '(top level)'}: contains a NUL character, which cannot be stored`,
            ),
          ].join('\n'),
        );
      }
      const parsed = seedSchema.safeParse(raw);
      if (!parsed.success) {
        throw new CliError(
          [
            `${file}: nothing imported; fix these first:`,
            ...parsed.error.issues.map(
              (i) => `  ${jsonPath(i.path) || '(top level)'}: ${i.message}`,
            ),
          ].join('\n'),
        );
      }
      const seed = parsed.data;
      const problems = seed.clients.flatMap((client, index) =>
        serverDependentProblems(client, ctx.config, ['clients', index]),
      );
      if (problems.length > 0)
        throw new CliError(
          [
            `${file}: nothing imported; fix these first:`,
            ...problems.map((line) => `  ${line}`),
          ].join('\n'),
        );
      for (const member of ignoredSeedMembers(raw))
        process.stderr.write(`warning: ${member}: unknown member, ignored\n`);
      for (const [index, user] of seed.users.entries()) {
        if (user.password.length < MIN_PASSWORD_LENGTH) {
          process.stderr.write(
            `warning: users[${index}].password: shorter than ${MIN_PASSWORD_LENGTH} characters\n`,
          );
        }
      }

      // Users it signs out are told to their clients in logout tokens, signed with the kek.
      const services = await ctx.services({ keys: true });
      // Confidential clients without a secret in the seed (a `clients list --json` export has
      // none) keep the secret stored for them; one is generated only for a client that has
      // none yet: a new one, or one that was public until now.
      const generated = new Map<string, string>();
      const clients = [];
      for (const metadata of seed.clients) {
        let secret = metadata.client_secret ?? null;
        if (
          secret === null &&
          usesClientSecret(metadata.token_endpoint_auth_method) &&
          !(await services.clients.findById(metadata.client_id))?.secretHash
        ) {
          secret = generateClientSecret();
          generated.set(metadata.client_id, secret);
        }
        clients.push(registeredClient(metadata, secret));
      }
      // Hashes are salted, so only argon2 verify tells whether the seed names the password a user
      // has; an unchanged one is kept (null), so re-importing the seed signs no one out.
      const changesByEmail = new Map<string, string>();
      const users = await Promise.all(
        seed.users.map(async ({ email, password, sub, disabled, ...claims }) => {
          const existing = await services.users.findByEmail(email);
          const unchanged = existing && (await verifyPassword(existing.passwordHash, password));
          const changes = [
            ...(existing && !unchanged ? ['password changed'] : []),
            ...(existing && disabled && !existing.disabled ? ['disabled'] : []),
          ];
          changesByEmail.set(email.toLowerCase(), changes.join(' and '));
          return {
            id: existing?.id ?? sub ?? randomUUID(),
            email,
            passwordHash: unchanged ? null : await hashPassword(password),
            disabled,
            claims,
          };
        }),
      );

      const result = await importSeed(
        services.database,
        { clients, users },
        'cli',
        services.clock.now(),
      );
      // The counts of earlier versions come first, as scripts may match them; ", N unchanged"
      // follows when some entry matched what is stored (and so was not written).
      const tally = (kind: { created: string[]; updated: string[]; unchanged: string[] }) =>
        `${kind.created.length} created, ${kind.updated.length} updated` +
        (kind.unchanged.length > 0 ? `, ${kind.unchanged.length} unchanged` : '');
      ctx.out(`clients: ${tally(result.clients)}; users: ${tally(result.users)}`);
      for (const email of result.users.signedOut)
        ctx.out(`${email}: ${changesByEmail.get(email)}; sessions and tokens revoked`);
      await notifyEndedSessions(ctx, result.endedSessions);
      for (const [clientId, secret] of generated) {
        ctx.out(`client_secret for ${clientId}: ${secret} (shown once; only its hash is stored)`);
      }
    });
}
