/** What a migration run did. */
export interface MigrationResult {
  /** Names of the migrations this run applied, in order; empty when the database was up to date. */
  readonly applied: string[];
}

/** Where a migration run takes its migrations from. */
export interface MigrateOptions {
  /** The folder of `<timestamp>_<name>/migration.sql` folders; defaults to the provider's committed ones. */
  readonly migrationsDir?: string;
}
