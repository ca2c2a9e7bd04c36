/**
 * The one place where errors become HTTP status codes and ErrorResponse bodies.
 * @module
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type * as z from 'zod';
import type { ErrorResponse } from '../contract/responses.js';
import { QueryError, SourceError } from '../sinks/store/index.js';

type Issue = NonNullable<ErrorResponse['issues']>[number];

/** a request the API refuses before any work: bad parameters, too long, unknown route */
export class RequestError extends Error {
  override readonly name = 'RequestError';
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly issues?: readonly Issue[],
  ) {
    super(message);
  }
}

export function issuesOf(error: z.ZodError): Issue[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

/** status and body for any error thrown by a handler */
export function errorAnswer(error: unknown): { status: ContentfulStatusCode; body: ErrorResponse } {
  if (error instanceof RequestError) {
    const body: ErrorResponse = { error: error.code, message: error.message };
    return { status: error.status, body: error.issues ? { ...body, issues: error.issues } : body };
  }
  if (error instanceof QueryError) {
    const body: ErrorResponse = { error: error.code, message: error.message };
    const issues = error.param ? [{ path: error.param, message: error.message }] : undefined;
    return { status: 400, body: issues ? { ...body, issues } : body };
  }
  if (error instanceof SourceError) {
    const upstream = error.code === 'unavailable' || error.code === 'bad-answer';
    return { status: upstream ? 502 : 503, body: { error: error.code, message: error.message } };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { status: 500, body: { error: 'internal', message: `Cannot answer the request: ${message}` } };
}

export function respondError(c: Context, error: unknown): Response {
  const { status, body } = errorAnswer(error);
  return c.json(body, status);
}
