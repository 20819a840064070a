import { loadConfig, unknownVariableWarnings, type Config } from '@idp/config';
import { createLogger } from '../logger.js';
import { openServices, type Services } from '../services.js';

/**
 * What a command needs, opened on first use: commands such as `--help` never touch the
 * database. Logs go to stderr so that stdout carries only the command's output.
 */
export class CliContext {
  #config: Config | undefined;
  #services: Services | undefined;
  readonly out: (line: string) => void;

  constructor(out: (line: string) => void = (line) => process.stdout.write(`${line}\n`)) {
    this.out = out;
  }

  get config(): Config {
    if (!this.#config) {
      this.#config = loadConfig();
      for (const warning of unknownVariableWarnings())
        process.stderr.write(`warning: ${warning}\n`);
    }
    return this.#config;
  }

  /**
   * `keys`: the command manages signing keys or signs with them (logout tokens for the sessions
   * it ends), so it cannot run without the servers' kek: it stops here, before changing anything,
   * also when an earlier call opened the services without the kek.
   */
  async services(options: { keys?: boolean } = {}): Promise<Services> {
    this.#services ??= await openServices(this.config, {
      logger: createLogger('warn'),
      needsKeyEncryptionKey: options.keys ?? false,
    });
    if (options.keys && this.#services.missingKeyEncryptionKey)
      throw this.#services.missingKeyEncryptionKey;
    return this.#services;
  }

  async close(): Promise<void> {
    await this.#services?.close();
  }
}
