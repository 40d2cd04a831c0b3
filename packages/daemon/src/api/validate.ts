import type { Context } from './http/router.js';
import { ErrorCodes, NightshiftError } from '@nightshift/protocol';

/**
 * Reads a JSON body and checks its shape, or answers 400 with the expected shape as the hint. The shape is the
 * route's declared body schema (@nightshift/protocol), and `ok` where a handler checks more; the body is read
 * where the handler reads it, so its earlier checks (the app exists) still answer first.
 */
export async function readJson<T>(
  c: Context,
  ok: (b: Partial<T> & Record<string, unknown>) => boolean,
  example: string,
): Promise<T> {
  // Read outside the try: a body over the size cap is a 413, not "not JSON".
  const text = await c.text();
  let body: unknown;
  try {
    body = text === '' ? {} : JSON.parse(text);
  } catch {
    throw new NightshiftError(
      ErrorCodes.badRequest,
      'the request body is not JSON',
      `send a JSON body like ${example}`,
    );
  }
  const declared = c.route?.body;
  if (
    typeof body !== 'object' ||
    body === null ||
    (declared && !declared.safeParse(body).success) ||
    !ok(body as Partial<T> & Record<string, unknown>)
  ) {
    throw new NightshiftError(
      ErrorCodes.badRequest,
      'the request body has the wrong shape',
      `send a JSON body like ${example}`,
    );
  }
  return body as T;
}
