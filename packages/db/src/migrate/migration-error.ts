/**
 * A migration run that cannot go on: a failed migration (rolled back), a committed migration
 * that was edited after it was applied, or history naming a migration that is not on disk.
 * `migration` names the migration folder concerned.
 */
export class MigrationError extends Error {
  readonly migration: string;

  constructor(migration: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MigrationError';
    this.migration = migration;
  }
}
