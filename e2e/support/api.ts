import type { TotpDevice } from './totp';

// Seeding through the HTTP API the way the browser does it (docs/api.md "Conventions"): the
// session cookie khomat_sid, and the csrfToken of the session in the x-csrf-token header of every
// state-changing call. Used where the UI is not what a test is about.

type SessionState =
  { authenticated: false } | { authenticated: true; stage: 'totp' | 'enrol' | 'full'; csrfToken: string; user: { id: string; mustChangePassword: boolean } };

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    what: string,
  ) {
    super(`${what} → HTTP ${status}: ${JSON.stringify(body)}`);
    this.name = 'ApiFailure';
  }
}

export class ApiSession {
  private cookie = '';
  private csrf = '';
  userId = '';

  constructor(private readonly baseUrl: string) {}

  private async call<T>(method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.cookie) headers.cookie = this.cookie;
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (method !== 'GET' && this.csrf) headers['x-csrf-token'] = this.csrf;
    const res = await fetch(`${this.baseUrl}/api${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    for (const c of res.headers.getSetCookie()) {
      const m = /^khomat_sid=([^;]*)/.exec(c);
      if (m) this.cookie = `khomat_sid=${m[1]}`;
    }
    const text = await res.text();
    const data: unknown = text ? JSON.parse(text) : undefined;
    if (!res.ok) throw new ApiFailure(res.status, data, `${method} ${path}`);
    return data as T;
  }

  get<T>(path: string): Promise<T> {
    return this.call<T>('GET', path);
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.call<T>('POST', path, body);
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>('PATCH', path, body);
  }

  /** A raw file upload, as the web client sends it (the body is the file; its name in the query). */
  async upload<T>(path: string, bytes: Uint8Array, name: string): Promise<T> {
    const res = await fetch(`${this.baseUrl}/api${path}?name=${encodeURIComponent(name)}`, {
      method: 'POST',
      headers: { accept: 'application/json', cookie: this.cookie, 'x-csrf-token': this.csrf, 'content-type': 'application/octet-stream' },
      body: bytes,
    });
    const text = await res.text();
    const data: unknown = text ? JSON.parse(text) : undefined;
    if (!res.ok) throw new ApiFailure(res.status, data, `POST ${path} (upload)`);
    return data as T;
  }

  private take(s: SessionState): SessionState {
    if (s.authenticated) {
      this.csrf = s.csrfToken;
      this.userId = s.user.id;
    }
    return s;
  }

  /**
   * Signs in completely: password, then TOTP (enrolling when the account has none yet; the new
   * secret is stored in `secrets` so that the browser can sign in later with the same device),
   * then the forced password change to `newPassword` when one is due.
   */
  async signIn(username: string, password: string, opts: { totp: TotpDevice; secrets: Map<string, string>; newPassword?: string }): Promise<this> {
    let s = this.take(await this.post<SessionState>('/auth/login', { username, password }));
    if (s.authenticated && s.stage === 'enrol') {
      const e = await this.post<{ secret: string }>('/auth/totp/enrolment');
      opts.secrets.set(username, e.secret);
      s = this.take(await this.post<SessionState>('/auth/totp/enrolment/confirm', { code: await opts.totp.code(e.secret) }));
    } else if (s.authenticated && s.stage === 'totp') {
      const secret = opts.secrets.get(username);
      if (!secret) throw new Error(`No TOTP secret known for ${username}`);
      s = this.take(await this.post<SessionState>('/auth/totp', { code: await opts.totp.code(secret) }));
    }
    if (!s.authenticated || s.stage !== 'full') throw new Error(`Sign-in of ${username} stopped at ${JSON.stringify(s)}`);
    if (s.user.mustChangePassword) {
      if (!opts.newPassword) throw new Error(`${username} must change the password: give newPassword`);
      await this.post('/auth/password', { currentPassword: password, newPassword: opts.newPassword });
      this.take(await this.get<SessionState>('/auth/session'));
    }
    return this;
  }

  async signOut(): Promise<void> {
    await this.post('/auth/logout').catch(() => undefined);
    this.cookie = '';
    this.csrf = '';
  }
}
