import type { FastifyRequest } from 'fastify';

// What the server's log may say about a request and an error. Query strings carry the names of
// uploaded files (?name=) and search words (?q=), which are secret metadata: the log keeps the
// path (route and ids) only. An error keeps its type, code, message and stack; PostgreSQL's
// `detail`, `where` and similar fields, which can quote a row's values, are left out, and so is
// the value a data exception quotes in its message.

const ERROR_FIELDS = ['code', 'errno', 'syscall', 'statusCode', 'kind'] as const;

export function pathOnly(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

export interface LoggedError {
  type: string;
  message: string;
  stack: string;
  cause?: LoggedError;
  [field: string]: unknown;
}

/**
 * PostgreSQL's data exceptions (SQLSTATE class 22) quote in their message the value they could
 * not take ('invalid input syntax for type integer: "…"'): that value could be a row's content.
 */
function withheldValues(e: Error): { message: string; stack: string } {
  const code = (e as { code?: unknown }).code;
  const stack = e.stack ?? '';
  if (typeof code !== 'string' || !/^22[0-9A-Z]{3}$/.test(code) || !('severity' in e)) return { message: e.message, stack };
  const message = e.message.replace(/"(?:[^"]|"")*"/g, '"…"');
  return { message, stack: stack.includes(e.message) ? stack.replace(e.message, message) : stack.replace(/"(?:[^"]|"")*"/g, '"…"') };
}

export function logSafeError(e: unknown, depth = 0): LoggedError {
  if (!(e instanceof Error)) return { type: typeof e, message: 'non-Error thrown', stack: '' };
  const out: LoggedError = { type: e.name, ...withheldValues(e) };
  for (const k of ERROR_FIELDS) {
    const v = (e as unknown as Record<string, unknown>)[k];
    if (typeof v === 'string' || typeof v === 'number') out[k] = v;
  }
  if (e.cause !== undefined && depth < 4) out.cause = logSafeError(e.cause, depth + 1);
  return out;
}

export const LOG_SERIALIZERS = {
  req: (req: FastifyRequest) => ({ method: req.method, url: pathOnly(req.url), remoteAddress: req.ip }),
  res: (reply: { statusCode: number }) => ({ statusCode: reply.statusCode }),
  err: (e: unknown) => logSafeError(e),
};
