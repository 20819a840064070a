import { createHash } from 'node:crypto';

/** The CSP hash source (`'sha256-<base64>'`, CSP3 2.3.1) allowing one exact inline element text. */
export function cspHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}
