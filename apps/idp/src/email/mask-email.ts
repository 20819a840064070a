/**
 * An address as a notice shows it: the first character of the local part, `***`, then the
 * domain in full (`jane@example.com` becomes `j***@example.com`). Enough for the owner to tell
 * whether it is theirs, too little for whoever reads the message to sign in with it.
 */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf('@');
  if (at <= 0) return '***';
  const first = [...address.slice(0, at)][0]!;
  return `${first}***${address.slice(at)}`;
}
