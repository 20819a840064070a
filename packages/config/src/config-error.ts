/** One invalid setting: the variable, the value's problem and what is expected. */
export interface ConfigProblem {
  readonly variable: string;
  readonly message: string;
}

/**
 * Thrown at start when the environment holds invalid settings. An operator's mistake, not a
 * client's: the process prints every problem, one line each, and exits before it listens.
 */
export class ConfigError extends Error {
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    super(
      `Invalid configuration:\n${problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n')}`,
    );
    this.name = 'ConfigError';
    this.problems = problems;
  }
}
