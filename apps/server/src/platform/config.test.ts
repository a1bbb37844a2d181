import { describe, expect, it } from 'vitest';
import { loadConfig } from './config';

describe('config', () => {
  it('has working defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      dataDir: './data',
      loginMaxFailures: 5,
      loginLockMinutes: 15,
      sessionIdleMinutes: 15,
      sessionAbsoluteHours: 8,
    });
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
  it('sweeps crash leftovers older than 60 minutes unless KHOMAT_LEFTOVER_GRACE_MINUTES says otherwise', () => {
    expect(loadConfig({}).leftoverGraceMinutes).toBe(60);
    expect(loadConfig({ KHOMAT_LEFTOVER_GRACE_MINUTES: '5' }).leftoverGraceMinutes).toBe(5);
    for (const bad of ['0', '-1', '2.5', 'abc', '100000'])
      expect(() => loadConfig({ KHOMAT_LEFTOVER_GRACE_MINUTES: bad })).toThrow(/KHOMAT_LEFTOVER_GRACE_MINUTES/);
  });
  it('uses the key file provider unless KHOMAT_KEY_PROVIDER=pkcs11, which needs a PIN or a PIN file', () => {
    expect(loadConfig({})).toMatchObject({ keyProvider: 'file', pkcs11Library: '/usr/lib/softhsm/libsofthsm2.so', pkcs11Token: 'khomat' });
    expect(loadConfig({}).pkcs11Pin).toBeUndefined();
    const c = loadConfig({
      KHOMAT_KEY_PROVIDER: 'pkcs11',
      KHOMAT_PKCS11_LIBRARY: '/opt/hsm/lib.so',
      KHOMAT_PKCS11_TOKEN: 'kho-mat-01',
      KHOMAT_PKCS11_PIN_FILE: '/run/secrets/pin',
    });
    expect(c).toMatchObject({ keyProvider: 'pkcs11', pkcs11Library: '/opt/hsm/lib.so', pkcs11Token: 'kho-mat-01', pkcs11PinFile: '/run/secrets/pin' });
    expect(loadConfig({ KHOMAT_KEY_PROVIDER: 'pkcs11', KHOMAT_PKCS11_PIN: '123456' }).pkcs11Pin).toBe('123456');
    expect(() => loadConfig({ KHOMAT_KEY_PROVIDER: 'pkcs11' })).toThrow(/KHOMAT_PKCS11_PIN: .*KHOMAT_PKCS11_PIN_FILE/);
    expect(() => loadConfig({ KHOMAT_KEY_PROVIDER: 'pkcs11', KHOMAT_PKCS11_PIN: '123456', KHOMAT_PKCS11_PIN_FILE: '/run/secrets/pin' })).toThrow(
      /KHOMAT_PKCS11_PIN_FILE: chỉ đặt một/,
    );
    expect(() => loadConfig({ KHOMAT_KEY_PROVIDER: 'hsm' })).toThrow(/KHOMAT_KEY_PROVIDER/);
    expect(() => loadConfig({ KHOMAT_PKCS11_TOKEN: 'x'.repeat(33) })).toThrow(/KHOMAT_PKCS11_TOKEN/);
  });
  it('never echoes the PIN in a configuration error', () => {
    const err = (() => {
      try {
        loadConfig({ KHOMAT_KEY_PROVIDER: 'pkcs11', KHOMAT_PKCS11_PIN: 'bimat-9731', KHOMAT_PKCS11_PIN_FILE: '/run/secrets/pin', KHOMAT_PORT: 'abc' });
      } catch (e) {
        return e as Error;
      }
      throw new Error('no error');
    })();
    expect(err.message).toMatch(/KHOMAT_PORT/);
    expect(err.message).not.toContain('bimat-9731');
  });
  it('fails fast naming every bad variable', () => {
    expect(() => loadConfig({ KHOMAT_PORT: 'abc', KHOMAT_SESSION_IDLE_MINUTES: '0' })).toThrow(/KHOMAT_PORT[\s\S]*KHOMAT_SESSION_IDLE_MINUTES/);
  });
});
