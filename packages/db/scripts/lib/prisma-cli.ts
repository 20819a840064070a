import { execFile } from 'node:child_process';
import { join } from 'node:path';
import type { Provider } from '../../src/database.js';
import { packageDir, providerFiles } from './prisma-files.js';

const prismaBin = join(packageDir, 'node_modules', '.bin', 'prisma');

/**
 * A database the Prisma CLI can connect to. With the WebAssembly schema engine the CLI connects
 * through the driver adapter even for commands that only read schema files (`migrate diff`
 * between schema files included), and every command validates the schema's
 * `url = env("DATABASE_URL")` against the provider.
 */
export interface PrismaConnection {
  readonly databaseUrl: string;
}

/** For SQLite a private in-memory database does; PostgreSQL needs an existing database. */
export const SQLITE_IN_MEMORY: PrismaConnection = { databaseUrl: 'file::memory:' };

interface PrismaOutcome {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the Prisma CLI with `provider`'s config. */
function execPrisma(
  provider: Provider,
  args: readonly string[],
  connection: PrismaConnection,
): Promise<PrismaOutcome> {
  return new Promise((resolve, reject) => {
    execFile(
      prismaBin,
      [...args, '--config', providerFiles(provider).configFile],
      {
        cwd: packageDir,
        env: {
          // eslint-disable-next-line no-restricted-syntax -- a child process inherits the environment; Prisma reads its URL from it
          ...process.env,
          DATABASE_URL: connection.databaseUrl,
          // No update check or telemetry: there is no network to reach, and waiting for it is slow.
          CHECKPOINT_DISABLE: '1',
          PRISMA_HIDE_UPDATE_MESSAGE: '1',
        },
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const exitCode = error ? error.code : 0;
        if (typeof exitCode !== 'number')
          reject(error ?? new Error(`prisma ${args.join(' ')} did not exit normally`));
        else resolve({ exitCode, stdout, stderr });
      },
    );
  });
}

function failure(args: readonly string[], outcome: PrismaOutcome): Error {
  return new Error(
    `prisma ${args.join(' ')} failed (exit ${outcome.exitCode}):\n${outcome.stderr || outcome.stdout}`,
  );
}

/** Runs the Prisma CLI with `provider`'s config; resolves to its stdout, rejects with its stderr. */
export async function runPrisma(
  provider: Provider,
  args: readonly string[],
  connection: PrismaConnection,
): Promise<string> {
  const outcome = await execPrisma(provider, args, connection);
  if (outcome.exitCode !== 0) throw failure(args, outcome);
  return outcome.stdout;
}

/**
 * The SQL that turns the schema of `from` (a schema file, or nothing) into that of `to`; null
 * when they do not differ.
 */
export async function migrationSql(
  provider: Provider,
  from: string | 'empty',
  to: string,
  connection: PrismaConnection,
): Promise<string | null> {
  const fromArgs = from === 'empty' ? ['--from-empty'] : ['--from-schema-datamodel', from];
  const args = [
    'migrate',
    'diff',
    ...fromArgs,
    '--to-schema-datamodel',
    to,
    '--script',
    '--exit-code',
  ];
  const outcome = await execPrisma(provider, args, connection);
  // --exit-code: 0 means no difference, 2 a difference (the script is on stdout).
  if (outcome.exitCode === 0) return null;
  if (outcome.exitCode === 2) return outcome.stdout;
  throw failure(args, outcome);
}
