import { z } from 'zod';

/**
 * One API route as data: method, path, and the schemas of its params, query, body and answer. The daemon's router
 * checks requests against it, the CLI's client builds its calls from it, and a test holds each answer to it.
 */
export interface RouteDeclaration<
  Path extends string = string,
  Query = unknown,
  Body = unknown,
  Answer = unknown,
> {
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** Under `API_PREFIX`; `:name` segments are params. */
  readonly path: Path;
  readonly params: z.ZodType<ParamsOf<Path>>;
  /** Query parameters as the wire has them (strings); the route reads and checks their values itself. */
  readonly query: z.ZodType<Query>;
  /** Null for a route that reads no body (the client sends `{}`). */
  readonly body: z.ZodType<Body> | null;
  /** The 400's hint shows this (`send a JSON body like …`). */
  readonly example: string;
  /** The JSON answer; for a stream, what each `line`/`event` (SSE) or `entry` (NDJSON) carries. */
  readonly answer: z.ZodType<Answer>;
  /** How the answer comes: a JSON document (default), Server-Sent Events, or NDJSON when asked for with `accept`. */
  readonly answers?: 'json' | 'sse' | 'json-or-ndjson';
  /** Status of a successful answer; 200 unless given. */
  readonly status?: number;
}

/** `{ app: string; job: string }` for `/apps/:app/cron/jobs/:job/run`. */
export type ParamsOf<Path extends string> = {
  [K in ParamNames<Path>]: string;
};
type ParamNames<Path extends string> = Path extends `${string}:${infer Name}/${infer Rest}`
  ? Name | ParamNames<`/${Rest}`>
  : Path extends `${string}:${infer Name}`
    ? Name
    : never;

export type QueryOf<R> = R extends RouteDeclaration<string, infer Q> ? Q : never;
export type BodyOf<R> = R extends RouteDeclaration<string, unknown, infer B> ? B : never;
export type AnswerOf<R> = R extends RouteDeclaration<string, unknown, unknown, infer A> ? A : never;

const noQuery = z.object({});

/** Declares a route; params come from the path, a missing query or body means none. */
export function route<
  const Path extends string,
  Query = Record<string, never>,
  Body = undefined,
  Answer = unknown,
>(d: {
  method: RouteDeclaration['method'];
  path: Path;
  query?: z.ZodType<Query>;
  body?: z.ZodType<Body>;
  example?: string;
  answer: z.ZodType<Answer>;
  answers?: RouteDeclaration['answers'];
  status?: number;
}): RouteDeclaration<Path, Query, Body, Answer> {
  const names = [...d.path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!);
  return {
    method: d.method,
    path: d.path,
    params: z.object(Object.fromEntries(names.map((n) => [n, z.string()]))) as unknown as z.ZodType<
      ParamsOf<Path>
    >,
    query: d.query ?? (noQuery as unknown as z.ZodType<Query>),
    body: d.body ?? null,
    example: d.example ?? '{}',
    answer: d.answer,
    ...(d.answers ? { answers: d.answers } : {}),
    ...(d.status ? { status: d.status } : {}),
  };
}

/** An optional query parameter, as the wire has it. */
export const param = () => z.string().optional();
