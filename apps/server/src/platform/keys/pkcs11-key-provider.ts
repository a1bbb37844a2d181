import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { z } from 'zod';
import type * as Pkcs11Js from 'pkcs11js';
import { KeyRingError } from './file-key-provider';
import type { KeyProvider, WrappedKey } from './key-provider';

// Keys in an HSM through PKCS#11 (pkcs11js; tested against Debian's SoftHSM2).
//
// In the token (never leave it):
//   - master keys: AES-256 secret keys labelled `khomat-master-v<N>`, sensitive, not extractable;
//     the current version is the highest N present, so a rotation by `khomat keys rotate` in
//     another process is seen without a restart;
//   - the audit signing key pair: Ed25519 (CKK_EC_EDWARDS), label `khomat-audit-signing`, allowed
//     to sign (its public half to verify) and nothing else, not modifiable;
// In the key directory: `pkcs11-dbkey.json`, the SQLCipher key wrapped by a master key. SQLite
// needs the raw database key in process memory, which an HSM will not hand out for one of its
// own secret objects (and many refuse non-sensitive ones), so it lives outside, wrapped.
//
// Wrapped format (data keys and the database key alike): iv (12 bytes) || ciphertext || tag (16
// bytes), AES-256-GCM computed inside the HSM (CKM_AES_GCM), with the master version bound as
// additional data (`khomat-dk-v<N>`, `khomat-dbkey-v<N>`) so a wrapped key filed under the wrong
// version is refused. The layout is the file provider's, so the blob store sees no difference.

// Mechanisms and key type from PKCS#11 3.0 (§2.3, §6.3.5); pkcs11js 2.x only ships 2.40 constants.
const CKK_EC_EDWARDS = 0x40;
const CKM_EC_EDWARDS_KEY_PAIR_GEN = 0x1055;
const CKM_EDDSA = 0x1057;
/** DER of OID 1.3.101.112 (id-Ed25519), the CKA_EC_PARAMS of an Ed25519 key (RFC 8410). */
const ED25519_EC_PARAMS = Buffer.from('06032b6570', 'hex');

/** What each half of a key pair could be used for; the audit signing key allows one of them. */
const PRIVATE_USES = (m: Pkcs11Module): number[] => [m.CKA_SIGN, m.CKA_SIGN_RECOVER, m.CKA_DECRYPT, m.CKA_UNWRAP, m.CKA_DERIVE];
const PUBLIC_USES = (m: Pkcs11Module): number[] => [m.CKA_VERIFY, m.CKA_VERIFY_RECOVER, m.CKA_ENCRYPT, m.CKA_WRAP, m.CKA_DERIVE];

const MASTER_LABEL = /^khomat-master-v([1-9][0-9]*)$/;
const masterLabel = (version: number): string => `khomat-master-v${version}`;
const SIGNING_LABEL = 'khomat-audit-signing';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export const PKCS11_DBKEY_FILE = 'pkcs11-dbkey.json';

const dbKeyFileSchema = z.object({
  format: z.literal('khomat-pkcs11-dbkey-1'),
  /** Master key version that wrapped `wrapped`. */
  masterVersion: z.number().int().positive(),
  /** base64 of iv || ciphertext || tag. */
  wrapped: z.string().min(1),
  /** For diagnosis only: the token this install was set up on. */
  token: z.object({ label: z.string(), serial: z.string() }),
  createdAt: z.string(),
  rewrappedAt: z.string().optional(),
});
type DbKeyFile = z.infer<typeof dbKeyFileSchema>;

/** A PKCS#11 failure: a KeyRingError, so callers that handle key problems handle these too. */
export class Pkcs11KeyError extends KeyRingError {}

export interface Pkcs11KeyProviderOptions {
  /** Path of the PKCS#11 module (.so). */
  library: string;
  /** Label of the token holding KhoMật's keys. */
  tokenLabel: string;
  /** User PIN of the token. Never logged nor put in an error message. */
  pin: string;
  /** Directory for the wrapped database key (KHOMAT_KEY_DIR). */
  keyDir: string;
  /** Create the missing keys (first start, `khomat init`); false refuses instead. */
  create?: boolean;
  /**
   * How long the list of master versions read from the token is trusted before the next wrap
   * reads it again (default 1000 ms). Listing token objects costs ~1-2 ms on SoftHSM, more than
   * the wrap itself; a rotation by another process is seen within this delay, and until then
   * the previous version, still valid, keeps wrapping.
   */
  rescanAfterMs?: number;
}

// ---- the module, shared in the process -------------------------------------------------------

type Pkcs11Module = typeof Pkcs11Js;
type Handle = Buffer;

let pkcs11jsModule: Pkcs11Module | undefined;
/** Loaded lazily so a deployment on the file provider never needs the native addon. */
function pkcs11js(): Pkcs11Module {
  if (!pkcs11jsModule) {
    try {
      pkcs11jsModule = createRequire(import.meta.url)('pkcs11js') as Pkcs11Module;
    } catch (e) {
      throw new Pkcs11KeyError(`Không nạp được gói pkcs11js (cần cài đặt và biên dịch được mô-đun gốc): ${(e as Error).message}`);
    }
  }
  return pkcs11jsModule;
}

function ckr(e: unknown): number | undefined {
  const code = e instanceof Error ? (e as Error & { code?: unknown }).code : undefined;
  return typeof code === 'number' ? code : undefined;
}

function ckrName(e: unknown): string {
  return e instanceof Error ? e.message.split('\n')[0]!.slice(0, 80) : 'lỗi không xác định';
}

interface LoadedLibrary {
  lib: Pkcs11Js.PKCS11;
  /** Open providers using it; C_Finalize when the last one closes. */
  refs: number;
  /** False when someone else in the process had already called C_Initialize: never finalize then. */
  ownsInitialize: boolean;
  /** Per token (slot id hex): digest of the PIN that logged it in, and how many of our sessions. */
  logins: Map<string, { pinDigest: Buffer; sessions: number }>;
}

// The login state of a PKCS#11 token belongs to the whole process, not to a session, and
// C_Initialize/C_Finalize to the whole module: providers opened on the same library share one.
const libraries = new Map<string, LoadedLibrary>();
const PIN_DIGEST_KEY = crypto.randomBytes(32);
const pinDigest = (pin: string): Buffer => crypto.createHmac('sha256', PIN_DIGEST_KEY).update(pin, 'utf8').digest();

function acquireLibrary(library: string): LoadedLibrary {
  const resolved = path.resolve(library);
  const loaded = libraries.get(resolved);
  if (loaded) {
    loaded.refs++;
    return loaded;
  }
  if (!fs.existsSync(resolved)) throw new Pkcs11KeyError(`Không tìm thấy thư viện PKCS#11 ${resolved} (KHOMAT_PKCS11_LIBRARY).`);
  const m = pkcs11js();
  const lib = new m.PKCS11();
  try {
    lib.load(resolved);
  } catch (e) {
    throw new Pkcs11KeyError(`Không nạp được thư viện PKCS#11 ${resolved}: ${ckrName(e)}.`);
  }
  let ownsInitialize = true;
  try {
    lib.C_Initialize();
  } catch (e) {
    if (ckr(e) !== m.CKR_CRYPTOKI_ALREADY_INITIALIZED) {
      lib.close();
      throw new Pkcs11KeyError(`Thư viện PKCS#11 ${resolved} không khởi tạo được (${ckrName(e)}).`);
    }
    // Another user of the same module in this process initialised it; it is theirs to finalize.
    ownsInitialize = false;
  }
  const entry: LoadedLibrary = { lib, refs: 1, ownsInitialize, logins: new Map() };
  libraries.set(resolved, entry);
  return entry;
}

function releaseLibrary(library: string): void {
  const resolved = path.resolve(library);
  const entry = libraries.get(resolved);
  if (!entry) return;
  entry.refs--;
  if (entry.refs > 0) return;
  libraries.delete(resolved);
  try {
    if (entry.ownsInitialize) entry.lib.C_Finalize();
  } finally {
    entry.lib.close();
  }
}

// ---- helpers -----------------------------------------------------------------------------------

function writeAtomically(file: string, content: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, content, { mode: 0o600 });
  fs.renameSync(tmp, file);
  fs.chmodSync(file, 0o600);
}

/** CKA_EC_POINT of an Ed25519 key: DER OCTET STRING (SoftHSM, PKCS#11 3.0) or the raw 32 bytes. */
function ed25519PublicKey(ecPoint: Buffer): crypto.KeyObject {
  let raw = ecPoint;
  if (ecPoint.length === 34 && ecPoint[0] === 0x04 && ecPoint[1] === 0x20) raw = ecPoint.subarray(2);
  if (raw.length !== 32) throw new Pkcs11KeyError('Khoá công khai ký nhật ký trong token không phải Ed25519 (CKA_EC_POINT không hợp lệ).');
  return crypto.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
}

// ---- the provider ------------------------------------------------------------------------------

export class Pkcs11KeyProvider implements KeyProvider {
  readonly kind = 'pkcs11' as const;
  private readonly m: Pkcs11Module;
  private readonly lib: Pkcs11Js.PKCS11;
  private readonly slotKey: string;
  private session: Handle | undefined;
  private loggedIn = false;
  private masters = new Map<number, Handle>();
  private scannedAt = 0;
  private signingPrivate!: Handle;
  private publicKey!: crypto.KeyObject;
  private dbKey: Buffer | undefined;
  private readonly dbKeyFile: string;

  private constructor(
    private readonly opts: Pkcs11KeyProviderOptions,
    private readonly loaded: LoadedLibrary,
    private readonly token: { slot: Handle; label: string; serial: string },
    session: Handle,
  ) {
    this.m = pkcs11js();
    this.lib = loaded.lib;
    this.slotKey = token.slot.toString('hex');
    this.session = session;
    this.dbKeyFile = path.join(opts.keyDir, PKCS11_DBKEY_FILE);
  }

  static open(opts: Pkcs11KeyProviderOptions): Pkcs11KeyProvider {
    const loaded = acquireLibrary(opts.library);
    let provider: Pkcs11KeyProvider | undefined;
    try {
      const token = findToken(loaded.lib, opts.tokenLabel, opts.library);
      const m = pkcs11js();
      let session: Handle;
      try {
        session = loaded.lib.C_OpenSession(token.slot, m.CKF_SERIAL_SESSION | m.CKF_RW_SESSION);
      } catch (e) {
        throw new Pkcs11KeyError(`Không mở được phiên làm việc với token "${opts.tokenLabel}" (${ckrName(e)}).`);
      }
      provider = new Pkcs11KeyProvider(opts, loaded, token, session);
      provider.login();
      provider.loadKeys(opts.create ?? false);
      return provider;
    } catch (e) {
      if (provider) provider.close();
      else releaseLibrary(opts.library);
      throw e;
    }
  }

  /** Ends the session and, with the last provider of the process, finalizes the module. */
  close(): void {
    const session = this.session;
    if (session === undefined) return;
    this.session = undefined;
    this.dbKey?.fill(0);
    const login = this.loggedIn ? this.loaded.logins.get(this.slotKey) : undefined;
    if (login && --login.sessions <= 0) this.loaded.logins.delete(this.slotKey);
    try {
      this.lib.C_CloseSession(session);
    } catch {
      // Closing is best effort: the module is finalized below when we are the last user.
    }
    releaseLibrary(this.opts.library);
  }

  private get s(): Handle {
    if (this.session === undefined) throw new Pkcs11KeyError('Nhà cung cấp khoá PKCS#11 đã đóng.');
    return this.session;
  }

  private login(): void {
    const digest = pinDigest(this.opts.pin);
    try {
      this.lib.C_Login(this.s, this.m.CKU_USER, this.opts.pin);
    } catch (e) {
      const code = ckr(e);
      if (code === this.m.CKR_USER_ALREADY_LOGGED_IN) {
        // The token is logged in for the whole process already; when we did it, the PIN given
        // now must be the same one, so a wrong PIN is refused even then.
        const prior = this.loaded.logins.get(this.slotKey);
        if (prior && !crypto.timingSafeEqual(prior.pinDigest, digest)) throw this.wrongPin();
      } else if (code === this.m.CKR_PIN_INCORRECT || code === this.m.CKR_PIN_LEN_RANGE) {
        throw this.wrongPin();
      } else if (code === this.m.CKR_PIN_LOCKED) {
        throw new Pkcs11KeyError(`Mã PIN của token "${this.opts.tokenLabel}" đã bị khoá do nhập sai nhiều lần; cần SO mở khoá.`);
      } else if (code === this.m.CKR_USER_PIN_NOT_INITIALIZED) {
        throw new Pkcs11KeyError(`Token "${this.opts.tokenLabel}" chưa đặt mã PIN người dùng.`);
      } else {
        throw new Pkcs11KeyError(`Không đăng nhập được vào token "${this.opts.tokenLabel}" (${ckrName(e)}).`);
      }
    }
    const prior = this.loaded.logins.get(this.slotKey);
    if (prior) prior.sessions++;
    else this.loaded.logins.set(this.slotKey, { pinDigest: digest, sessions: 1 });
    this.loggedIn = true;
  }

  private wrongPin(): Pkcs11KeyError {
    return new Pkcs11KeyError(`Sai mã PIN của token "${this.opts.tokenLabel}" (KHOMAT_PKCS11_PIN / KHOMAT_PKCS11_PIN_FILE).`);
  }

  // ---- objects ---------------------------------------------------------------------------------

  private find(template: Pkcs11Js.Template): Handle[] {
    const s = this.s;
    this.lib.C_FindObjectsInit(s, template);
    try {
      const found: Handle[] = [];
      for (;;) {
        const batch = this.lib.C_FindObjects(s, 64);
        found.push(...batch);
        if (batch.length < 64) return found;
      }
    } finally {
      this.lib.C_FindObjectsFinal(s);
    }
  }

  private label(handle: Handle): string {
    const [attr] = this.lib.C_GetAttributeValue(this.s, handle, [{ type: this.m.CKA_LABEL }]);
    return attr?.value.toString('utf8') ?? '';
  }

  /** Re-reads the master key versions from the token (another process may have rotated). */
  private scanMasters(): void {
    const m = this.m;
    const handles = this.find([
      { type: m.CKA_CLASS, value: m.CKO_SECRET_KEY },
      { type: m.CKA_KEY_TYPE, value: m.CKK_AES },
      { type: m.CKA_TOKEN, value: true },
    ]);
    const masters = new Map<number, Handle>();
    for (const h of handles) {
      const match = MASTER_LABEL.exec(this.label(h));
      if (!match) continue;
      const version = Number(match[1]);
      if (masters.has(version)) {
        throw new Pkcs11KeyError(`Token "${this.opts.tokenLabel}" có hai khoá cùng nhãn ${masterLabel(version)}; cần xử lý thủ công trước khi dùng.`);
      }
      masters.set(version, h);
    }
    this.masters = masters;
    this.scannedAt = Date.now();
  }

  private latestMaster(): number {
    return this.masters.size === 0 ? 0 : Math.max(...this.masters.keys());
  }

  private generateMaster(version: number): void {
    const m = this.m;
    this.lib.C_GenerateKey(this.s, { mechanism: m.CKM_AES_KEY_GEN }, [
      { type: m.CKA_CLASS, value: m.CKO_SECRET_KEY },
      { type: m.CKA_KEY_TYPE, value: m.CKK_AES },
      { type: m.CKA_VALUE_LEN, value: 32 },
      { type: m.CKA_LABEL, value: masterLabel(version) },
      { type: m.CKA_ID, value: Buffer.from(masterLabel(version)) },
      { type: m.CKA_TOKEN, value: true },
      { type: m.CKA_PRIVATE, value: true },
      { type: m.CKA_SENSITIVE, value: true },
      { type: m.CKA_EXTRACTABLE, value: false },
      { type: m.CKA_MODIFIABLE, value: false },
      { type: m.CKA_ENCRYPT, value: true },
      { type: m.CKA_DECRYPT, value: true },
      { type: m.CKA_WRAP, value: false },
      { type: m.CKA_UNWRAP, value: false },
      { type: m.CKA_SIGN, value: false },
      { type: m.CKA_VERIFY, value: false },
      { type: m.CKA_DERIVE, value: false },
    ]);
  }

  private findSigning(): { priv: Handle | undefined; pub: Handle | undefined } {
    const m = this.m;
    const byClass = (cls: number) => {
      const found = this.find([
        { type: m.CKA_CLASS, value: cls },
        { type: m.CKA_KEY_TYPE, value: CKK_EC_EDWARDS },
        { type: m.CKA_TOKEN, value: true },
        { type: m.CKA_LABEL, value: SIGNING_LABEL },
      ]);
      if (found.length > 1) throw new Pkcs11KeyError(`Token "${this.opts.tokenLabel}" có nhiều khoá cùng nhãn ${SIGNING_LABEL}; cần xử lý thủ công.`);
      return found[0];
    };
    return { priv: byClass(m.CKO_PRIVATE_KEY), pub: byClass(m.CKO_PUBLIC_KEY) };
  }

  private generateSigning(): void {
    const m = this.m;
    const id = Buffer.from(SIGNING_LABEL);
    try {
      this.lib.C_GenerateKeyPair(
        this.s,
        { mechanism: CKM_EC_EDWARDS_KEY_PAIR_GEN },
        [
          { type: m.CKA_TOKEN, value: true },
          { type: m.CKA_PRIVATE, value: false },
          { type: m.CKA_EC_PARAMS, value: ED25519_EC_PARAMS },
          { type: m.CKA_LABEL, value: SIGNING_LABEL },
          { type: m.CKA_ID, value: id },
          // Verifying is all the public half does; tokens default the other uses to allowed.
          ...this.onlyUse(m.CKA_VERIFY, PUBLIC_USES),
          { type: m.CKA_MODIFIABLE, value: false },
        ],
        [
          { type: m.CKA_TOKEN, value: true },
          { type: m.CKA_PRIVATE, value: true },
          { type: m.CKA_SENSITIVE, value: true },
          { type: m.CKA_EXTRACTABLE, value: false },
          { type: m.CKA_LABEL, value: SIGNING_LABEL },
          { type: m.CKA_ID, value: id },
          // Signing checkpoints is all the audit key is for: no decrypt, unwrap or derive.
          ...this.onlyUse(m.CKA_SIGN, PRIVATE_USES),
          { type: m.CKA_MODIFIABLE, value: false },
        ],
      );
    } catch (e) {
      throw new Pkcs11KeyError(`Token "${this.opts.tokenLabel}" không tạo được cặp khoá Ed25519 (CKM_EC_EDWARDS_KEY_PAIR_GEN: ${ckrName(e)}).`);
    }
  }

  /** A template allowing `use` and refusing every other use in `uses`. */
  private onlyUse(use: number, uses: (m: Pkcs11Module) => number[]): Pkcs11Js.Template {
    return uses(this.m).map((type) => ({ type, value: type === use }));
  }

  /**
   * Earlier versions created the signing key with only CKA_SIGN given, so SoftHSM (like many
   * tokens) also allowed decrypt, unwrap and the rest. Such a key is narrowed to signing when
   * found; a token that refuses the change is named, never used silently as it is.
   */
  private restrictSigning(priv: Handle, pub: Handle): void {
    const m = this.m;
    for (const [h, use, uses, half] of [
      [priv, m.CKA_SIGN, PRIVATE_USES, 'khoá bí mật'],
      [pub, m.CKA_VERIFY, PUBLIC_USES, 'khoá công khai'],
    ] as const) {
      const extra = uses(m).filter((type) => type !== use && this.lib.C_GetAttributeValue(this.s, h, [{ type }])[0]?.value[0] === 1);
      if (extra.length === 0) continue;
      try {
        this.lib.C_SetAttributeValue(
          this.s,
          h,
          extra.map((type) => ({ type, value: false })),
        );
      } catch (e) {
        throw new Pkcs11KeyError(
          `${half} ký nhật ký ${SIGNING_LABEL} trong token "${this.opts.tokenLabel}" còn được dùng cho việc khác ngoài ký và token không cho thu hẹp (${ckrName(e)}); cần tạo lại khoá.`,
        );
      }
    }
  }

  /** Finds (or, with `create`, makes) every key; then unwraps the database key. */
  private loadKeys(create: boolean): void {
    this.scanMasters();
    let signing = this.findSigning();
    const hasDbKeyFile = fs.existsSync(this.dbKeyFile);
    const missing: string[] = [];
    if (this.masters.size === 0) missing.push('khoá chủ (khomat-master-v1)');
    if (!signing.priv || !signing.pub) missing.push(`cặp khoá ký nhật ký (${SIGNING_LABEL})`);
    if (!hasDbKeyFile) missing.push(`khoá cơ sở dữ liệu (${this.dbKeyFile})`);

    // The key directory says this install was set up already: a key missing from the token means
    // the wrong token (or a lost one), never something to replace silently.
    const setUp = hasDbKeyFile && missing.length > 0;
    if (missing.length > 0 && (!create || setUp)) {
      const hint = setUp
        ? ' Tệp khoá cơ sở dữ liệu đã có nên không tạo khoá mới: kiểm tra KHOMAT_PKCS11_TOKEN có đúng token đã dùng khi cài đặt.'
        : ' Chạy "khomat init" (hoặc khởi động máy chủ) để tạo khoá.';
      throw new Pkcs11KeyError(`Token "${this.opts.tokenLabel}" thiếu: ${missing.join(', ')}.${hint}`);
    }

    if (this.masters.size === 0) {
      this.generateMaster(1);
      this.scanMasters();
    }
    if (!signing.priv && !signing.pub) {
      this.generateSigning();
      signing = this.findSigning();
    }
    if (!signing.priv || !signing.pub) {
      throw new Pkcs11KeyError(`Token "${this.opts.tokenLabel}" chỉ có một nửa cặp khoá ${SIGNING_LABEL}; cần xử lý thủ công.`);
    }
    this.restrictSigning(signing.priv, signing.pub);
    this.signingPrivate = signing.priv;
    const [point] = this.lib.C_GetAttributeValue(this.s, signing.pub, [{ type: this.m.CKA_EC_POINT }]);
    this.publicKey = ed25519PublicKey(point?.value ?? Buffer.alloc(0));

    if (!hasDbKeyFile) this.createDbKeyFile();
    this.dbKey = this.readDbKeyFile();
  }

  // ---- AES-GCM inside the HSM ------------------------------------------------------------------

  private master(version: number): Handle {
    let h = this.masters.get(version);
    if (h === undefined) {
      this.scanMasters();
      h = this.masters.get(version);
    }
    if (h === undefined) throw new Pkcs11KeyError(`Thiếu khoá chủ phiên bản ${version} trong token "${this.opts.tokenLabel}".`);
    return h;
  }

  private gcm(iv: Buffer, aad: string): Pkcs11Js.Mechanism {
    const params: Pkcs11Js.GcmParams = { type: this.m.CK_PARAMS_AES_GCM, iv, ivBits: IV_BYTES * 8, aad: Buffer.from(aad), tagBits: TAG_BYTES * 8 };
    return { mechanism: this.m.CKM_AES_GCM, parameter: params };
  }

  private seal(version: number, aad: string, plaintext: Buffer): Buffer {
    const s = this.s;
    const key = this.master(version);
    const iv = crypto.randomBytes(IV_BYTES);
    try {
      this.lib.C_EncryptInit(s, this.gcm(iv, aad), key);
      const out = this.lib.C_Encrypt(s, plaintext, Buffer.alloc(plaintext.length + TAG_BYTES + 16));
      return Buffer.concat([iv, out]);
    } catch (e) {
      throw new Pkcs11KeyError(`HSM không bọc được khoá (CKM_AES_GCM: ${ckrName(e)}).`);
    }
  }

  private unseal(version: number, aad: string, wrapped: Buffer): Buffer {
    if (wrapped.length < IV_BYTES + TAG_BYTES + 1) throw new Pkcs11KeyError('Khoá dữ liệu bọc không hợp lệ.');
    const s = this.s;
    const key = this.master(version);
    try {
      this.lib.C_DecryptInit(s, this.gcm(wrapped.subarray(0, IV_BYTES), aad), key);
      return this.lib.C_Decrypt(s, wrapped.subarray(IV_BYTES), Buffer.alloc(wrapped.length));
    } catch {
      // SoftHSM reports a bad tag as CKR_GENERAL_ERROR, others as CKR_ENCRYPTED_DATA_INVALID.
      throw new Pkcs11KeyError('Không mở được khoá dữ liệu: sai khoá chủ hoặc dữ liệu bị sửa.');
    }
  }

  // ---- database key file -----------------------------------------------------------------------

  private createDbKeyFile(): void {
    fs.mkdirSync(this.opts.keyDir, { recursive: true, mode: 0o700 });
    // Drawn from the HSM's generator: the key never existed anywhere before being wrapped.
    const key = this.lib.C_GenerateRandom(this.s, Buffer.alloc(32));
    const version = this.latestMaster();
    const content = this.dbKeyFileContent(version, key, new Date().toISOString());
    key.fill(0);
    try {
      // 'wx' so two processes starting at once cannot both create a database key.
      fs.writeFileSync(this.dbKeyFile, content, { mode: 0o600, flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }

  private dbKeyFileContent(version: number, key: Buffer, createdAt: string, rewrappedAt?: string): string {
    const file: DbKeyFile = {
      format: 'khomat-pkcs11-dbkey-1',
      masterVersion: version,
      wrapped: this.seal(version, `khomat-dbkey-v${version}`, key).toString('base64'),
      token: { label: this.token.label, serial: this.token.serial },
      createdAt,
      ...(rewrappedAt ? { rewrappedAt } : {}),
    };
    return JSON.stringify(file, null, 2) + '\n';
  }

  private parseDbKeyFile(): DbKeyFile {
    let obj: unknown;
    try {
      obj = JSON.parse(fs.readFileSync(this.dbKeyFile, 'utf8'));
    } catch {
      throw new Pkcs11KeyError(`Tệp khoá cơ sở dữ liệu ${this.dbKeyFile} bị hỏng (không đọc được).`);
    }
    const parsed = dbKeyFileSchema.safeParse(obj);
    if (!parsed.success) throw new Pkcs11KeyError(`Tệp khoá cơ sở dữ liệu ${this.dbKeyFile} không đúng định dạng.`);
    return parsed.data;
  }

  private readDbKeyFile(): Buffer {
    const file = this.parseDbKeyFile();
    if (!this.masters.has(file.masterVersion)) {
      throw new Pkcs11KeyError(
        `Token "${this.opts.tokenLabel}" không có khoá chủ phiên bản ${file.masterVersion} đã bọc khoá cơ sở dữ liệu (tệp được tạo với token "${file.token.label}", số sê-ri ${file.token.serial}).`,
      );
    }
    let key: Buffer;
    try {
      key = this.unseal(file.masterVersion, `khomat-dbkey-v${file.masterVersion}`, Buffer.from(file.wrapped, 'base64'));
    } catch {
      throw new Pkcs11KeyError(
        `Không mở được khoá cơ sở dữ liệu ${this.dbKeyFile} bằng token "${this.opts.tokenLabel}" (tệp được tạo với token "${file.token.label}", số sê-ri ${file.token.serial}): sai token hoặc tệp bị sửa.`,
      );
    }
    if (key.length !== 32) throw new Pkcs11KeyError(`Tệp khoá cơ sở dữ liệu ${this.dbKeyFile} không đúng định dạng.`);
    return key;
  }

  // ---- KeyProvider -----------------------------------------------------------------------------

  currentMasterVersion(): number {
    if (Date.now() - this.scannedAt >= (this.opts.rescanAfterMs ?? 1000)) this.scanMasters();
    const version = this.latestMaster();
    if (version === 0) throw new Pkcs11KeyError(`Token "${this.opts.tokenLabel}" không còn khoá chủ nào.`);
    return version;
  }

  wrapDataKey(dataKey: Buffer): WrappedKey {
    const version = this.currentMasterVersion();
    return { wrapped: this.seal(version, `khomat-dk-v${version}`, dataKey), keyVersion: version, algorithm: 'aes-256-gcm-wrap' };
  }

  unwrapDataKey(wrapped: Buffer, keyVersion: number): Buffer {
    return this.unseal(keyVersion, `khomat-dk-v${keyVersion}`, wrapped);
  }

  /** New master key version in the token; the database key file is re-wrapped under it. */
  rotateMaster(): number {
    this.scanMasters();
    const next = this.currentMasterVersion() + 1;
    try {
      this.generateMaster(next);
    } catch (e) {
      throw new Pkcs11KeyError(`Token "${this.opts.tokenLabel}" không tạo được khoá chủ phiên bản ${next} (${ckrName(e)}).`);
    }
    this.scanMasters();
    const file = this.parseDbKeyFile();
    writeAtomically(this.dbKeyFile, this.dbKeyFileContent(next, this.databaseKey(), file.createdAt, new Date().toISOString()));
    return next;
  }

  databaseKey(): Buffer {
    if (this.session === undefined || this.dbKey === undefined) throw new Pkcs11KeyError('Nhà cung cấp khoá PKCS#11 đã đóng.');
    return Buffer.from(this.dbKey);
  }

  sign(data: Buffer): Buffer {
    const s = this.s;
    try {
      this.lib.C_SignInit(s, { mechanism: CKM_EDDSA }, this.signingPrivate);
      return this.lib.C_Sign(s, data, Buffer.alloc(64));
    } catch (e) {
      throw new Pkcs11KeyError(`HSM không ký được (CKM_EDDSA: ${ckrName(e)}).`);
    }
  }

  signingPublicKey(): crypto.KeyObject {
    return this.publicKey;
  }

  signingKeyId(): string {
    const der = this.publicKey.export({ format: 'der', type: 'spki' });
    return crypto.createHash('sha256').update(der).digest('hex').slice(0, 16);
  }
}

function findToken(lib: Pkcs11Js.PKCS11, label: string, library: string): { slot: Handle; label: string; serial: string } {
  const matches: { slot: Handle; label: string; serial: string }[] = [];
  for (const slot of lib.C_GetSlotList(true)) {
    const info = lib.C_GetTokenInfo(slot);
    if (info.label.trimEnd() === label) matches.push({ slot, label, serial: info.serialNumber.trim() });
  }
  if (matches.length === 0) throw new Pkcs11KeyError(`Không tìm thấy token PKCS#11 có nhãn "${label}" trong ${library} (KHOMAT_PKCS11_TOKEN).`);
  if (matches.length > 1) throw new Pkcs11KeyError(`Có ${matches.length} token cùng nhãn "${label}"; đặt nhãn riêng cho token của KhoMật.`);
  return matches[0]!;
}
