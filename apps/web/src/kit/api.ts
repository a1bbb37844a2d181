// The one way the UI talks to the server: JSON over fetch, same-origin cookies, CSRF header on
// every state-changing call, server errors turned into ApiError (docs/api.md "Conventions").

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly requestId: string | undefined;
  readonly details: Record<string, unknown> | undefined;
  /** True when the message came from the server (Vietnamese, meant for the user). */
  readonly fromServer: boolean;

  constructor(opts: { status: number; code: string; message: string; requestId?: string; details?: Record<string, unknown>; fromServer: boolean }) {
    super(opts.message);
    this.name = 'ApiError';
    this.status = opts.status;
    this.code = opts.code;
    this.requestId = opts.requestId;
    this.details = opts.details;
    this.fromServer = opts.fromServer;
  }
}

let csrfToken: string | null = null;

/** Called whenever a SessionState arrives, so that later writes carry its token. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

type Listener = (err: ApiError) => void;
const listeners = new Set<Listener>();

/** Lets the shell react to 401 (session ended) and 403 password_change_required. */
export function onApiError(l: Listener): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

type Query = Record<string, string | number | boolean | null | undefined>;

export function buildQuery(query: Query | undefined): string {
  if (!query) return '';
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    p.set(k, String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

function isErrorBody(x: unknown): x is { error: { code: string; message: string; requestId?: string; details?: Record<string, unknown> } } {
  if (typeof x !== 'object' || x === null || !('error' in x)) return false;
  const e = (x as { error: unknown }).error;
  return typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string' && typeof (e as { message?: unknown }).message === 'string';
}

export async function request<T>(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, body?: unknown, query?: Query): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(`/api${path}${buildQuery(query)}`, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError({ status: 0, code: 'client.network', message: 'client.network', fromServer: false });
  }
  const text = await res.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }
  if (!res.ok) {
    const err = isErrorBody(data)
      ? new ApiError({
          status: res.status,
          code: data.error.code,
          message: data.error.message,
          requestId: data.error.requestId,
          details: data.error.details,
          fromServer: true,
        })
      : new ApiError({ status: res.status, code: 'client.bad_response', message: 'client.bad_response', fromServer: false });
    for (const l of listeners) l(err);
    throw err;
  }
  if (data === undefined && text) {
    throw new ApiError({ status: res.status, code: 'client.bad_response', message: 'client.bad_response', fromServer: false });
  }
  return data as T;
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', path, undefined, query),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  delete: <T>(path: string) => request<T>('DELETE', path),
};

export interface UploadOptions {
  query?: Query;
  /** Called with the share of the body sent so far (0…1). */
  onProgress?: (sent: number) => void;
  signal?: AbortSignal;
}

/**
 * Sends a file as the raw request body (Content-Type: application/octet-stream), with the CSRF
 * header like every state change. XMLHttpRequest rather than fetch: only it reports upload progress.
 * Errors become ApiError exactly as for `request`.
 */
export function uploadFile<T>(path: string, file: Blob, opts: UploadOptions = {}): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api${path}${buildQuery(opts.query)}`);
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    if (csrfToken) xhr.setRequestHeader('x-csrf-token', csrfToken);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && opts.onProgress) opts.onProgress(e.total > 0 ? e.loaded / e.total : 1);
    };
    const fail = (err: ApiError) => {
      for (const l of listeners) l(err);
      reject(err);
    };
    xhr.onerror = () => reject(new ApiError({ status: 0, code: 'client.network', message: 'client.network', fromServer: false }));
    xhr.onabort = () => reject(new ApiError({ status: 0, code: 'client.aborted', message: 'client.aborted', fromServer: false }));
    xhr.onload = () => {
      let data: unknown = undefined;
      if (xhr.responseText) {
        try {
          data = JSON.parse(xhr.responseText);
        } catch {
          data = undefined;
        }
      }
      if (xhr.status < 200 || xhr.status >= 300) {
        fail(
          isErrorBody(data)
            ? new ApiError({
                status: xhr.status,
                code: data.error.code,
                message: data.error.message,
                requestId: data.error.requestId,
                details: data.error.details,
                fromServer: true,
              })
            : new ApiError({ status: xhr.status, code: 'client.bad_response', message: 'client.bad_response', fromServer: false }),
        );
        return;
      }
      resolve(data as T);
    };
    opts.signal?.addEventListener('abort', () => xhr.abort());
    xhr.send(file);
  });
}
