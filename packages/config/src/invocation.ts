/**
 * The directory the user ran the command from. `pnpm <script>` runs in the workspace root and
 * records the caller's directory in INIT_CWD; relative CLI paths must resolve against that.
 */
export function invocationDirectory(env: Record<string, string | undefined> = process.env): string {
  return env.INIT_CWD ?? process.cwd();
}
