/** A command that cannot be carried out: printed as one line, exit code 1. */
export class CliError extends Error {
  override name = 'CliError';
}

/** The command line itself is wrong: exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
