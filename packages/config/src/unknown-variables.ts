import { closest, distance } from 'fastest-levenshtein';
import { settings } from './settings.js';

/** `IDP_` variables that are not settings of the server but are read by tools around it. */
const NOT_SETTINGS: ReadonlySet<string> = new Set([
  // test/support/databases.ts: the PostgreSQL server the black-box tests create databases on.
  'IDP_TEST_POSTGRES_URL',
]);

/** A suggestion further than this many edits away would be a guess, not a typo. */
const MAX_TYPO_EDITS = 3;

/**
 * One warning per `IDP_` variable in the environment that no setting reads, naming the closest
 * setting when it is a likely typo: a mistyped variable is otherwise ignored without a word,
 * and the server runs with the default the operator meant to change.
 */
export function unknownVariableWarnings(
  env: Record<string, string | undefined> = process.env,
): string[] {
  const variables = Object.values(settings).map((setting) => setting.variable);
  const known = new Set(variables);
  return Object.keys(env)
    .filter((name) => name.startsWith('IDP_') && !known.has(name) && !NOT_SETTINGS.has(name))
    .sort()
    .map((name) => {
      const nearest = closest(name, variables);
      return distance(name, nearest) <= MAX_TYPO_EDITS
        ? `${name} is not a setting; did you mean ${nearest}?`
        : `${name} is not a setting (see the settings table in README.md); ignored`;
    });
}
