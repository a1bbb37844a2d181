import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type * as Pkcs11Js from 'pkcs11js';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { openRuntime } from '../../app/runtime';
import { AUDIT_ANCHOR_FILE, anchorFileFor, readAnchor } from '../audit/anchor';
import { verifyAuditChain } from '../audit/verify';
import { loadConfig } from '../config';
import { TEST_ARGON2 } from '../crypto/passwords';
import { KeyRingError } from './file-key-provider';
import { openKeyProvider } from './open-key-provider';
import { PKCS11_DBKEY_FILE, Pkcs11KeyError, Pkcs11KeyProvider, type Pkcs11KeyProviderOptions } from './pkcs11-key-provider';
import { SOFTHSM_LIBRARY, softhsmAvailable, useSoftHsm, type SoftHsm } from './softhsm-test-token';

// Real SoftHSM2, no mocks. Skipped locally without it (with a notice); fails in CI.
const hasHsm = softhsmAvailable();

describe.skipIf(!hasHsm)('PKCS#11 key provider on SoftHSM2', () => {
  let hsm: SoftHsm;
  const open: Pkcs11KeyProvider[] = [];
  const dirs: string[] = [];

  beforeAll(() => {
    hsm = useSoftHsm();
  });
  afterAll(() => hsm?.cleanup());
  afterEach(() => {
    open.splice(0).forEach((p) => p.close());
    dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
  });

  const keyDir = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'khomat-hsmkeys-'));
    dirs.push(d);
    return path.join(d, 'keys');
  };
  /** A fresh token and key dir, and an opener for providers on them (closed after each test). */
  function setUp(): { opts: Pkcs11KeyProviderOptions; openProvider: (extra?: Partial<Pkcs11KeyProviderOptions>) => Pkcs11KeyProvider } {
    const t = hsm.initToken();
    const opts: Pkcs11KeyProviderOptions = { library: SOFTHSM_LIBRARY, tokenLabel: t.label, pin: t.pin, keyDir: keyDir() };
    return {
      opts,
      openProvider: (extra = {}) => {
        const p = Pkcs11KeyProvider.open({ ...opts, ...extra });
        open.push(p);
        return p;
      },
    };
  }

  it('wraps and unwraps data keys inside the HSM; iv || ciphertext || tag', () => {
    const { openProvider } = setUp();
    const keys = openProvider({ create: true });
    expect(keys.kind).toBe('pkcs11');
    expect(keys.currentMasterVersion()).toBe(1);
    const dataKey = crypto.randomBytes(32);
    const w = keys.wrapDataKey(dataKey);
    expect(w).toMatchObject({ keyVersion: 1, algorithm: 'aes-256-gcm-wrap' });
    expect(w.wrapped.length).toBe(12 + 32 + 16);
    expect(keys.unwrapDataKey(w.wrapped, 1).equals(dataKey)).toBe(true);
    // A random IV each time.
    expect(keys.wrapDataKey(dataKey).wrapped.equals(w.wrapped)).toBe(false);
  });

  it('refuses a tampered wrapped key, a truncated one and an unknown version', () => {
    const { openProvider } = setUp();
    const keys = openProvider({ create: true });
    const w = keys.wrapDataKey(crypto.randomBytes(32));
    for (const i of [0, 20, w.wrapped.length - 1]) {
      const bad = Buffer.from(w.wrapped);
      bad[i]! ^= 1;
      expect(() => keys.unwrapDataKey(bad, 1)).toThrow(/Không mở được khoá dữ liệu/);
    }
    expect(() => keys.unwrapDataKey(w.wrapped.subarray(0, 20), 1)).toThrow(/không hợp lệ/);
    expect(() => keys.unwrapDataKey(w.wrapped, 7)).toThrow(/Thiếu khoá chủ phiên bản 7/);
    // The session stays usable after a failed decryption.
    expect(keys.unwrapDataKey(w.wrapped, 1).length).toBe(32);
  });

  it('rotates: a new version wraps new keys, old data keys still unwrap, other providers follow', () => {
    const { openProvider, opts } = setUp();
    const keys = openProvider({ create: true });
    const other = openProvider({ rescanAfterMs: 0 });
    const lagging = openProvider();
    const dbKey = keys.databaseKey();
    const old = keys.wrapDataKey(Buffer.alloc(32, 1));
    expect(keys.rotateMaster()).toBe(2);
    expect(keys.currentMasterVersion()).toBe(2);
    const fresh = keys.wrapDataKey(Buffer.alloc(32, 2));
    expect(fresh.keyVersion).toBe(2);
    expect(keys.unwrapDataKey(old.wrapped, 1).equals(Buffer.alloc(32, 1))).toBe(true);
    expect(other.wrapDataKey(Buffer.alloc(32, 3)).keyVersion).toBe(2);
    expect(other.unwrapDataKey(fresh.wrapped, 2).equals(Buffer.alloc(32, 2))).toBe(true);
    // With the default delay, a provider keeps wrapping under v1 (still valid) for up to a second.
    expect(lagging.wrapDataKey(Buffer.alloc(32, 3)).keyVersion).toBe(1);
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 1500);
      expect(lagging.wrapDataKey(Buffer.alloc(32, 3)).keyVersion).toBe(2);
    } finally {
      vi.useRealTimers();
    }
    expect(lagging.unwrapDataKey(fresh.wrapped, 2).equals(Buffer.alloc(32, 2))).toBe(true);
    // The version is bound to the wrapped key: filed under another version it does not open.
    expect(() => keys.unwrapDataKey(old.wrapped, 2)).toThrow(/Không mở được/);
    // The database key file was re-wrapped under v2 and still yields the same key.
    const file = JSON.parse(fs.readFileSync(path.join(opts.keyDir, PKCS11_DBKEY_FILE), 'utf8')) as { masterVersion: number };
    expect(file.masterVersion).toBe(2);
    keys.close();
    other.close();
    lagging.close();
    expect(openProvider().databaseKey().equals(dbKey)).toBe(true);
  });

  it('keeps master and signing keys in the token: sensitive, not extractable, CKA_VALUE unreadable', () => {
    const { openProvider, opts } = setUp();
    openProvider({ create: true }).close();
    // Our own handle on the module, initialised first: the provider must then neither fail on
    // CKR_CRYPTOKI_ALREADY_INITIALIZED nor finalize the module under us when it closes.
    const m = createRequire(import.meta.url)('pkcs11js') as typeof Pkcs11Js;
    const lib = new m.PKCS11();
    lib.load(SOFTHSM_LIBRARY);
    lib.C_Initialize();
    try {
      const slot = lib.C_GetSlotList(true).find((s) => lib.C_GetTokenInfo(s).label.trimEnd() === opts.tokenLabel)!;
      const s = lib.C_OpenSession(slot, m.CKF_SERIAL_SESSION);
      lib.C_Login(s, m.CKU_USER, opts.pin);
      const findOne = (template: Pkcs11Js.Template) => {
        lib.C_FindObjectsInit(s, template);
        const found = lib.C_FindObjects(s, 10);
        lib.C_FindObjectsFinal(s);
        expect(found).toHaveLength(1);
        return found[0]!;
      };
      const master = findOne([{ type: m.CKA_LABEL, value: 'khomat-master-v1' }]);
      const signing = findOne([
        { type: m.CKA_LABEL, value: 'khomat-audit-signing' },
        { type: m.CKA_CLASS, value: m.CKO_PRIVATE_KEY },
      ]);
      for (const h of [master, signing]) {
        const attrs = lib.C_GetAttributeValue(s, h, [{ type: m.CKA_TOKEN }, { type: m.CKA_SENSITIVE }, { type: m.CKA_EXTRACTABLE }]);
        expect(attrs.map((a) => a.value[0])).toEqual([1, 1, 0]);
        expect(() => lib.C_GetAttributeValue(s, h, [{ type: m.CKA_VALUE }])).toThrow(/CKR_ATTRIBUTE_SENSITIVE/);
      }
      const [len] = lib.C_GetAttributeValue(s, master, [{ type: m.CKA_VALUE_LEN }]);
      expect(Number(len!.value.readBigUInt64LE(0))).toBe(32);

      const keys = Pkcs11KeyProvider.open(opts);
      expect(keys.unwrapDataKey(keys.wrapDataKey(Buffer.alloc(32, 5)).wrapped, 1).equals(Buffer.alloc(32, 5))).toBe(true);
      keys.close();
      // Still initialised and logged in for us (CKS_RO_USER_FUNCTIONS = 1; not exported by pkcs11js).
      expect(lib.C_GetSessionInfo(s).state).toBe(1);
      lib.C_CloseSession(s);
    } finally {
      lib.C_Finalize();
      lib.close();
    }
  });

  /** A session of our own on the token, to read back what the provider created. */
  function withToken<T>(opts: Pkcs11KeyProviderOptions, fn: (lib: Pkcs11Js.PKCS11, s: Buffer, m: typeof Pkcs11Js) => T): T {
    const m = createRequire(import.meta.url)('pkcs11js') as typeof Pkcs11Js;
    const lib = new m.PKCS11();
    lib.load(SOFTHSM_LIBRARY);
    lib.C_Initialize();
    try {
      const slot = lib.C_GetSlotList(true).find((x) => lib.C_GetTokenInfo(x).label.trimEnd() === opts.tokenLabel)!;
      const s = lib.C_OpenSession(slot, m.CKF_SERIAL_SESSION | m.CKF_RW_SESSION);
      lib.C_Login(s, m.CKU_USER, opts.pin);
      try {
        return fn(lib, s, m);
      } finally {
        lib.C_Logout(s);
        lib.C_CloseSession(s);
      }
    } finally {
      lib.C_Finalize();
      lib.close();
    }
  }

  /** What each half of the audit signing key is allowed to do, read back from the token (1 = yes). */
  function signingKeyUses(opts: Pkcs11KeyProviderOptions) {
    return withToken(opts, (lib, s, m) => {
      const half = (cls: number) => {
        lib.C_FindObjectsInit(s, [
          { type: m.CKA_LABEL, value: 'khomat-audit-signing' },
          { type: m.CKA_CLASS, value: cls },
        ]);
        const [h] = lib.C_FindObjects(s, 2);
        lib.C_FindObjectsFinal(s);
        return h!;
      };
      const read = (h: Buffer, types: Record<string, number>) =>
        Object.fromEntries(Object.entries(types).map(([name, type]) => [name, lib.C_GetAttributeValue(s, h, [{ type }])[0]!.value[0]]));
      return {
        private: read(half(m.CKO_PRIVATE_KEY), {
          sign: m.CKA_SIGN,
          signRecover: m.CKA_SIGN_RECOVER,
          decrypt: m.CKA_DECRYPT,
          unwrap: m.CKA_UNWRAP,
          derive: m.CKA_DERIVE,
          modifiable: m.CKA_MODIFIABLE,
        }),
        public: read(half(m.CKO_PUBLIC_KEY), {
          verify: m.CKA_VERIFY,
          verifyRecover: m.CKA_VERIFY_RECOVER,
          encrypt: m.CKA_ENCRYPT,
          wrap: m.CKA_WRAP,
          derive: m.CKA_DERIVE,
          modifiable: m.CKA_MODIFIABLE,
        }),
      };
    });
  }
  const SIGN_ONLY = {
    private: { sign: 1, signRecover: 0, decrypt: 0, unwrap: 0, derive: 0, modifiable: 0 },
    public: { verify: 1, verifyRecover: 0, encrypt: 0, wrap: 0, derive: 0, modifiable: 0 },
  };

  it('creates the audit signing key for signing only: no decrypt, unwrap or derive, and not modifiable later', () => {
    const { openProvider, opts } = setUp();
    openProvider({ create: true }).close();
    expect(signingKeyUses(opts)).toEqual(SIGN_ONLY);
  });

  it('narrows a signing key made by an earlier version (decrypt and unwrap allowed) to signing on the next start', () => {
    const { openProvider, opts } = setUp();
    // The key pair as earlier versions made it: only CKA_SIGN / CKA_VERIFY given, the token's defaults for the rest.
    withToken(opts, (lib, s, m) => {
      const id = Buffer.from('khomat-audit-signing');
      lib.C_GenerateKeyPair(
        s,
        { mechanism: 0x1055 },
        [
          { type: m.CKA_TOKEN, value: true },
          { type: m.CKA_PRIVATE, value: false },
          { type: m.CKA_EC_PARAMS, value: Buffer.from('06032b6570', 'hex') },
          { type: m.CKA_VERIFY, value: true },
          { type: m.CKA_LABEL, value: 'khomat-audit-signing' },
          { type: m.CKA_ID, value: id },
        ],
        [
          { type: m.CKA_TOKEN, value: true },
          { type: m.CKA_PRIVATE, value: true },
          { type: m.CKA_SENSITIVE, value: true },
          { type: m.CKA_EXTRACTABLE, value: false },
          { type: m.CKA_SIGN, value: true },
          { type: m.CKA_LABEL, value: 'khomat-audit-signing' },
          { type: m.CKA_ID, value: id },
        ],
      );
    });
    expect(signingKeyUses(opts).private).toMatchObject({ decrypt: 1, unwrap: 1 });
    const keys = openProvider({ create: true });
    expect(crypto.verify(null, Buffer.from('x'), keys.signingPublicKey(), keys.sign(Buffer.from('x')))).toBe(true);
    keys.close();
    expect(signingKeyUses(opts).private).toMatchObject({ sign: 1, decrypt: 0, unwrap: 0, derive: 0 });
  });

  it('signs audit checkpoints with Ed25519 in the HSM; verifiable like the file provider; stable key id', () => {
    const { openProvider } = setUp();
    const keys = openProvider({ create: true });
    const data = Buffer.from('khomat-checkpoint|42|abcdef');
    const sig = keys.sign(data);
    expect(sig.length).toBe(64);
    expect(keys.signingPublicKey().asymmetricKeyType).toBe('ed25519');
    expect(crypto.verify(null, data, keys.signingPublicKey(), sig)).toBe(true);
    expect(crypto.verify(null, Buffer.from('khomat-checkpoint|42|abcdeF'), keys.signingPublicKey(), sig)).toBe(false);
    const id = keys.signingKeyId();
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    keys.close();
    const again = openProvider();
    expect(again.signingKeyId()).toBe(id);
    expect(crypto.verify(null, data, again.signingPublicKey(), again.sign(data))).toBe(true);
  });

  it('keeps the database key stable across re-opens, wrapped on disk (0600), never in plaintext', () => {
    const { openProvider, opts } = setUp();
    const a = openProvider({ create: true });
    const key = a.databaseKey();
    expect(key.length).toBe(32);
    a.close();
    const b = openProvider();
    expect(b.databaseKey().equals(key)).toBe(true);
    const file = path.join(opts.keyDir, PKCS11_DBKEY_FILE);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).not.toContain(key.toString('base64'));
    expect(text).not.toContain(key.toString('hex'));
    expect(JSON.parse(text)).toMatchObject({ format: 'khomat-pkcs11-dbkey-1', masterVersion: 1, token: { label: opts.tokenLabel } });
    expect(fs.readdirSync(opts.keyDir)).toEqual([PKCS11_DBKEY_FILE]);
    // A database key file tampered with is refused, naming the file, not the key.
    const parsed = JSON.parse(text) as { wrapped: string };
    const bad = Buffer.from(parsed.wrapped, 'base64');
    bad[14]! ^= 1;
    fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(text), wrapped: bad.toString('base64') }));
    b.close();
    expect(() => openProvider()).toThrow(/Không mở được khoá cơ sở dữ liệu/);
  });

  it('refuses a wrong PIN clearly, also while the token is logged in by another provider', () => {
    const { openProvider, opts } = setUp();
    openProvider({ create: true }).close();
    const err = (() => {
      try {
        openProvider({ pin: 'sai-ma-pin' });
      } catch (e) {
        return e as Error;
      }
      throw new Error('opened with a wrong PIN');
    })();
    expect(err).toBeInstanceOf(Pkcs11KeyError);
    expect(err).toBeInstanceOf(KeyRingError);
    expect(err.message).toMatch(/Sai mã PIN của token/);
    expect(err.message).not.toContain('sai-ma-pin');
    expect(err.message).not.toContain(opts.pin);
    const running = openProvider();
    expect(() => openProvider({ pin: 'sai-ma-pin' })).toThrow(/Sai mã PIN/);
    expect(running.sign(Buffer.from('x')).length).toBe(64);
  });

  it('names a missing token and a missing library', () => {
    const { opts } = setUp();
    expect(() => Pkcs11KeyProvider.open({ ...opts, tokenLabel: 'khong-co-token' })).toThrow(/Không tìm thấy token PKCS#11 có nhãn "khong-co-token"/);
    expect(() => Pkcs11KeyProvider.open({ ...opts, library: '/nonexistent/libpkcs11.so' })).toThrow(
      /Không tìm thấy thư viện PKCS#11 \/nonexistent\/libpkcs11.so/,
    );
    // Not a PKCS#11 module at all.
    const notALib = path.join(path.dirname(opts.keyDir), 'not-a-lib.so');
    fs.writeFileSync(notALib, 'not an ELF file');
    expect(() => Pkcs11KeyProvider.open({ ...opts, library: notALib })).toThrow(/Không nạp được thư viện PKCS#11/);
  });

  it('refuses an empty token without create, and never replaces keys of an install already set up', () => {
    const { opts, openProvider } = setUp();
    expect(() => openProvider()).toThrow(/thiếu: khoá chủ \(khomat-master-v1\), cặp khoá ký nhật ký .*khoá cơ sở dữ liệu.*khomat init/);
    expect(fs.existsSync(opts.keyDir)).toBe(false);
    openProvider({ create: true }).close();
    // The same key dir pointed at another (empty) token: refused even with create.
    const other = hsm.initToken();
    expect(() => openProvider({ tokenLabel: other.label, pin: other.pin, create: true })).toThrow(/thiếu: khoá chủ.*kiểm tra KHOMAT_PKCS11_TOKEN/);
  });

  it('is chosen by KHOMAT_KEY_PROVIDER=pkcs11, with the PIN from a file', () => {
    const { opts } = setUp();
    const pinFile = path.join(path.dirname(opts.keyDir), 'pin');
    fs.writeFileSync(pinFile, `${opts.pin}\n`, { mode: 0o600 });
    const config = loadConfig({
      KHOMAT_KEY_PROVIDER: 'pkcs11',
      KHOMAT_PKCS11_LIBRARY: SOFTHSM_LIBRARY,
      KHOMAT_PKCS11_TOKEN: opts.tokenLabel,
      KHOMAT_PKCS11_PIN_FILE: pinFile,
      KHOMAT_KEY_DIR: opts.keyDir,
    });
    const keys = openKeyProvider(config, { create: true });
    expect(keys).toBeInstanceOf(Pkcs11KeyProvider);
    open.push(keys as Pkcs11KeyProvider);
    expect(keys.currentMasterVersion()).toBe(1);
    expect(() => openKeyProvider({ ...config, pkcs11PinFile: path.join(path.dirname(opts.keyDir), 'no-pin') }, { create: false })).toThrow(
      /Không đọc được tệp mã PIN/,
    );
  });

  it('runs the platform on it: SQLCipher database, encrypted blobs, a signed audit chain that verifies', async () => {
    const { opts } = setUp();
    const dir = path.dirname(opts.keyDir);
    const config = loadConfig(
      {},
      {
        env: 'test',
        dataDir: path.join(dir, 'data'),
        keyDir: opts.keyDir,
        keyProvider: 'pkcs11',
        pkcs11Library: SOFTHSM_LIBRARY,
        pkcs11Token: opts.tokenLabel,
        pkcs11Pin: opts.pin,
        auditCheckpointEvery: 3,
      },
    );
    const deps = await openRuntime(config, { createKeys: true, argon2: TEST_ARGON2 });
    const plain = crypto.randomBytes(200_000);
    let blobId: string;
    try {
      expect(deps.keys.kind).toBe('pkcs11');
      expect(deps.dbh.dialect).toBe('sqlite');
      const row = await deps.dbh.db.transaction().execute((tx) => deps.blobs.put(tx, Readable.from([plain])));
      blobId = row.id;
      expect(row.key_version).toBe(1);
      const { stream } = await deps.blobs.open(deps.dbh.db, row.id);
      const chunks: Buffer[] = [];
      for await (const c of stream) chunks.push(c as Buffer);
      expect(Buffer.concat(chunks).equals(plain)).toBe(true);
      for (let i = 0; i < 7; i++) {
        await deps.dbh.db.transaction().execute((tx) => deps.audit.append(tx, { actorId: null, action: 'test.hsm', details: { i } }));
      }
      await deps.audit.checkpointHead(deps.dbh.db);
      const r = await verifyAuditChain(deps.dbh, deps.keys);
      expect(r).toMatchObject({ ok: true, count: 7 });
      expect(r.ok && r.checkpoints).toBeGreaterThanOrEqual(2);
    } finally {
      await deps.dbh.close();
    }
    // Closing the database released the HSM session; a second start (no create) reads it all back.
    const again = await openRuntime(config, { createKeys: false, argon2: TEST_ARGON2 });
    try {
      const { stream } = await again.blobs.open(again.dbh.db, blobId);
      const chunks: Buffer[] = [];
      for await (const c of stream) chunks.push(c as Buffer);
      expect(Buffer.concat(chunks).equals(plain)).toBe(true);
      // Checkpoints signed in the HSM, chained, and anchored beside the keys.
      const anchor = readAnchor(anchorFileFor(config.keyDir), again.keys.signingPublicKey());
      const r = await verifyAuditChain(again.dbh, again.keys, { anchor, checkpointEvery: 3 });
      expect(r).toMatchObject({ ok: true, count: 7, checkpoints: 3, anchored: 3 });
    } finally {
      await again.dbh.close();
    }
    expect(() => again.keys.sign(Buffer.from('x'))).toThrow(/đã đóng/);
  });

  it('drives the khomat CLI: init, keys rotate, audit verify, backup and backup verify, each process exiting cleanly', () => {
    const { opts } = setUp();
    const dir = path.dirname(opts.keyDir);
    const pinFile = path.join(dir, 'pin');
    fs.writeFileSync(pinFile, opts.pin, { mode: 0o600 });
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      KHOMAT_DATA_DIR: path.join(dir, 'data'),
      KHOMAT_KEY_DIR: opts.keyDir,
      KHOMAT_KEY_PROVIDER: 'pkcs11',
      KHOMAT_PKCS11_LIBRARY: SOFTHSM_LIBRARY,
      KHOMAT_PKCS11_TOKEN: opts.tokenLabel,
      KHOMAT_PKCS11_PIN_FILE: pinFile,
      KHOMAT_AUDIT_CHECKPOINT_EVERY: '1000',
      KHOMAT_ADMIN_PASSWORD: 'Quantri2026x',
      KHOMAT_HEAD_PASSWORD: 'Thutruong2026x',
    };
    delete env.DATABASE_URL;
    delete env.KHOMAT_PKCS11_PIN;
    const bin = path.resolve(import.meta.dirname, '../../../../cli/bin/khomat.mjs');
    const run = (...args: string[]) => {
      const r = spawnSync(process.execPath, [bin, ...args], { env, encoding: 'utf8', timeout: 60_000 });
      expect(r.signal, `${args.join(' ')} did not exit by itself`).toBeNull();
      expect(`${r.stdout}${r.stderr}`).not.toContain(opts.pin);
      return r;
    };
    const before = run('audit', 'verify');
    expect(before.status).toBe(2);
    expect(before.stderr).toMatch(/thiếu: khoá chủ/);
    const init = run('init', '--agency', 'Sở Ngoại vụ', '--admin', 'admin', '--head', 'giamdoc');
    expect(init.status, init.stderr).toBe(0);
    // Beside the wrapped database key only the audit anchor (signed checkpoints, no secret): init ends signed.
    expect(fs.readdirSync(opts.keyDir).sort()).toEqual([AUDIT_ANCHOR_FILE, PKCS11_DBKEY_FILE]);
    // A running server (this process) sees the rotation done by the CLI process, without a restart.
    const server = Pkcs11KeyProvider.open({ ...opts, rescanAfterMs: 0 });
    open.push(server);
    const rotate = run('keys', 'rotate');
    expect(rotate.status, rotate.stderr).toBe(0);
    expect(rotate.stdout).toMatch(/từ phiên bản 1 sang 2/);
    expect(server.wrapDataKey(Buffer.alloc(32, 4)).keyVersion).toBe(2);
    const verify = run('audit', 'verify');
    expect(verify.status, verify.stderr).toBe(0);
    expect(verify.stdout).toMatch(/nguyên vẹn: 2 sự kiện/);
    const file = path.join(dir, 'backup.kmb');
    const backup = run('backup', file);
    expect(backup.status, backup.stderr).toBe(0);
    const checked = run('backup', 'verify', file);
    expect(checked.status, checked.stderr).toBe(0);
    expect(checked.stdout).toMatch(/Bản sao lưu nguyên vẹn/);
  });
});
