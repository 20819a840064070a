import type { FastifySchemaValidationError, FastifyServerOptions } from 'fastify';

/**
 * JSON schemas for protocol parameters as a query string or a form body arrives parsed: each
 * value a string, or several strings when the name repeats. The schemas check that shape (RFC
 * 6749 3.1, 3.2: parameters MUST NOT be included more than once); what the values mean is the
 * protocol core's to decide.
 */
type JsonSchema = Record<string, unknown>;

const SINGLE = { type: 'string' } as const;

/**
 * An object of single string parameters. `names` lists those the endpoint reads (documentation,
 * and each is checked); `others` says what happens to the rest: `'single'` refuses them repeated
 * too (the endpoint reads its parameters as one set), `'ignored'` lets anything through, as an
 * endpoint that must ignore what it does not know (OIDC Core 3.1.2.1).
 */
export function parameterSchema(
  names: readonly string[],
  options: {
    others: 'single' | 'ignored';
    maxLength?: number;
    repeatable?: readonly string[];
    longer?: Readonly<Record<string, number>>;
  },
): JsonSchema {
  const single =
    options.maxLength === undefined ? SINGLE : { ...SINGLE, maxLength: options.maxLength };
  const properties: Record<string, JsonSchema> = {};
  for (const name of names) properties[name] = single;
  // RFC 8707 2: `resource` may be given several times.
  for (const name of options.repeatable ?? [])
    properties[name] = { anyOf: [SINGLE, { type: 'array', items: SINGLE }] };
  // A single parameter allowed past `maxLength` (a request object, RFC 9101), with its own limit.
  for (const [name, maxLength] of Object.entries(options.longer ?? {}))
    properties[name] = { ...SINGLE, maxLength };
  return {
    type: 'object',
    // No body at all is no parameters (the route decides whether it needs any).
    nullable: true,
    properties,
    ...(options.others === 'single' ? { additionalProperties: SINGLE } : {}),
  };
}

/**
 * Turns a schema failure into the words a client is told, naming the parameter (the error
 * handlers answer it as `invalid_request`). Parsed forms and query strings hold only strings and
 * arrays of them, so a value that is not a string was repeated.
 */
export const describeParameterError: NonNullable<FastifyServerOptions['schemaErrorFormatter']> = (
  errors: FastifySchemaValidationError[],
  dataVar,
) => {
  const error = errors[0];
  const segment = error?.instancePath.split('/')[1];
  const name = segment?.replaceAll('~1', '/').replaceAll('~0', '~');
  if (!error || !name)
    return new Error(
      `the request ${dataVar === 'body' ? 'body' : 'parameters'} must be form fields (application/x-www-form-urlencoded)`,
    );
  if (error.keyword === 'maxLength') return new Error(`${name} is too long`);
  if (error.keyword === 'type' || error.keyword === 'anyOf')
    return new Error(`${name} must not be repeated`);
  return new Error(`${name} ${error.message ?? 'is not valid'}`);
};
