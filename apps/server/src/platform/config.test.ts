import { describe, expect, it } from 'vitest';
import { loadConfig } from './config';

describe('config', () => {
  it('has working defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 8080, host: '127.0.0.1', dataDir: './data', loginMaxFailures: 5, loginLockMinutes: 15, sessionIdleMinutes: 15, sessionAbsoluteHours: 8 });
    expect(c.databaseUrl).toBeUndefined();
  });
  it('reads environment variables', () => {
    const c = loadConfig({ KHOMAT_PORT: '9000', KHOMAT_LOGIN_MAX_FAILURES: '3', DATABASE_URL: 'postgres://u@h/db', KHOMAT_SECURE_COOKIE: 'true' });
    expect(c).toMatchObject({ port: 9000, loginMaxFailures: 3, databaseUrl: 'postgres://u@h/db', secureCookie: true });
  });
  it('limits uploads to 200 MiB unless KHOMAT_MAX_UPLOAD_MB says otherwise', () => {
    expect(loadConfig({}).maxUploadMb).toBe(200);
    expect(loadConfig({ KHOMAT_MAX_UPLOAD_MB: '5' }).maxUploadMb).toBe(5);
    for (const bad of ['0', '-1', '1.5', 'abc']) expect(() => loadConfig({ KHOMAT_MAX_UPLOAD_MB: bad })).toThrow(/KHOMAT_MAX_UPLOAD_MB/);
  });
  it('fails fast naming every bad variable', () => {
    expect(() => loadConfig({ KHOMAT_PORT: 'abc', KHOMAT_SESSION_IDLE_MINUTES: '0' })).toThrow(/KHOMAT_PORT[\s\S]*KHOMAT_SESSION_IDLE_MINUTES/);
  });
});
