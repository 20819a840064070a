import { KeyError } from '@idp/keys';

/** One sentence for the operator on why the server could not start. */
export function describeStartupError(error: unknown): string {
  if (error instanceof KeyError) return error.message;
  const code = (error as { code?: string }).code;
  if (code === 'ECONNREFUSED')
    return 'the database refused the connection; is it running and is DATABASE_URL right?';
  if (code === 'EADDRINUSE') return 'the port is already in use; set PORT to a free one';
  if (code === 'EACCES')
    return 'permission denied (binding a port below 1024, or writing the data or keys folder)';
  return error instanceof Error ? error.message : String(error);
}
