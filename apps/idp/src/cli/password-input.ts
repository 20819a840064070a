import { createInterface } from 'node:readline';
import { CliError } from './cli-error.js';

/** Reads all of stdin (for `--password-stdin`), without the trailing newline. */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** Asks for a password on the terminal without echoing it. */
export async function promptPassword(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) {
    throw new CliError('no terminal to ask for a password: pipe it with --password-stdin');
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  const output = rl as unknown as { _writeToOutput: (text: string) => void };
  let muted = false;
  output._writeToOutput = (text: string) => {
    if (!muted) process.stderr.write(text);
  };
  return new Promise((resolve) => {
    rl.question(prompt, (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    });
    muted = true;
  });
}

/** The password from --password, --password-stdin or a prompt, checked for length. */
export async function obtainPassword(
  options: { password?: string; passwordStdin?: boolean },
  minLength: number,
): Promise<string> {
  const password =
    options.password ??
    (options.passwordStdin ? await readStdin() : await promptPassword('Password: '));
  if (password.length < minLength)
    throw new CliError(`password: must be at least ${minLength} characters`);
  return password;
}
