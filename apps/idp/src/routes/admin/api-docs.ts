import { z } from 'zod';

/**
 * A zod schema as the JSON Schema a route declares, so that @fastify/swagger documents exactly
 * what the handler accepts or answers (OpenAPI 3.0 dialect; `io` picks the input or the output
 * side of defaults and transforms). The admin contexts do not let Fastify validate with it
 * (handlers parse with the zod schema itself, which refuses unknown fields and never coerces),
 * and serialize with JSON.stringify (handlers build each answer from a mapper in api-json.ts).
 */
export function doc(schema: z.ZodType, io: 'input' | 'output' = 'output'): Record<string, unknown> {
  return z.toJSONSchema(schema, { target: 'openapi-3.0', io, unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
}

/** Every admin refusal: `{ error, error_description }`, with `problems` for invalid input. */
export const errorSchema = z.object({
  error: z.string(),
  error_description: z.string(),
  problems: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

const ERROR = doc(errorSchema);

/** The refusals every authenticated route may answer, for its `response` schema. */
export const REFUSALS = { 400: ERROR, 401: ERROR, 403: ERROR, 404: ERROR } as const;

/** Path parameters, documented and parsed from one schema. */
export function pathParams<K extends string>(...names: K[]) {
  return z.strictObject(
    Object.fromEntries(names.map((name) => [name, z.string().min(1)])) as Record<K, z.ZodString>,
  );
}
