/**
 * @module @idp/config
 * The server's settings: one zod schema, read from the environment, validated at start.
 * The only package that reads `process.env`.
 */
export { loadConfig, type Config } from './load-config.js';
export { ConfigError, type ConfigProblem } from './config-error.js';
export { settings, type Setting, type SettingKey } from './settings.js';
export { settingsTable } from './settings-table.js';
export { parseDurationSeconds, formatDuration } from './duration.js';
export { invocationDirectory } from './invocation.js';
export { unknownVariableWarnings } from './unknown-variables.js';
