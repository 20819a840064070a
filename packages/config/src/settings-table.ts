import { settings } from './settings.js';

/** The configuration table for the README, generated from the settings themselves. */
export function settingsTable(): string {
  const rows = Object.values(settings).map(
    (s) =>
      `| \`${s.variable}\` | ${s.defaultText === undefined ? '(unset)' : `\`${s.defaultText}\``} | ${s.description} |`,
  );
  return ['| variable | default | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}
