import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { KeyProvider, WrappedKey } from './key-provider';

// The key ring file: master keys by version, the database key and the audit signing key.
// Written 0600 on first run. When KHOMAT_MASTER_KEY (base64, 32 bytes) is given, the ring is
// sealed with it (AES-256-GCM) so the file alone is useless; otherwise it is plain JSON and its
// protection is the file mode and keeping it apart from the data (docs/operations.md).
const ringSchema = z.object({
  format: z.literal('khomat-keyring-1'),
  current: z.number().int().positive(),
  masters: z.record(z.string(), z.string()),
  database: z.string(),
  signing: z.string(),
  createdAt: z.string(),
});
type Ring = z.infer<typeof ringSchema>;

const sealedSchema = z.object({ format: z.literal('khomat-keyring-sealed-1'), iv: z.string(), data: z.string(), tag: z.string() });

export const KEYRING_FILE = 'keyring.json';

export class KeyRingError extends Error {}

function newRing(): Ring {
  const { privateKey } = crypto.generateKeyPairSync('ed25519');
  return {
    format: 'khomat-keyring-1',
    current: 1,
    masters: { '1': crypto.randomBytes(32).toString('base64') },
    database: crypto.randomBytes(32).toString('base64'),
    signing: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
    createdAt: new Date().toISOString(),
  };
}

function parseSealingKey(b64: string | undefined): Buffer | undefined {
  if (b64 === undefined || b64 === '') return undefined;
  const key = Buffer.from(b64, 'base64');
  if (key.length !== 32) throw new KeyRingError('KHOMAT_MASTER_KEY phải là 32 byte mã hoá base64 (KHOMAT_MASTER_KEY must be 32 bytes, base64).');
  return key;
}

function serialise(ring: Ring, sealingKey: Buffer | undefined): string {
  const json = JSON.stringify(ring, null, 2);
  if (!sealingKey) return json + '\n';
  const iv = crypto.randomBytes(12);
  const c = crypto.createCipheriv('aes-256-gcm', sealingKey, iv);
  const data = Buffer.concat([c.update(json, 'utf8'), c.final()]);
  return (
    JSON.stringify({ format: 'khomat-keyring-sealed-1', iv: iv.toString('base64'), data: data.toString('base64'), tag: c.getAuthTag().toString('base64') }) +
    '\n'
  );
}

function deserialise(text: string, sealingKey: Buffer | undefined, file: string): Ring {
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch {
    throw new KeyRingError(`Tệp khoá ${file} bị hỏng (không đọc được).`);
  }
  const sealed = sealedSchema.safeParse(obj);
  if (sealed.success) {
    if (!sealingKey) throw new KeyRingError(`Tệp khoá ${file} được niêm phong: cần đặt KHOMAT_MASTER_KEY.`);
    try {
      const d = crypto.createDecipheriv('aes-256-gcm', sealingKey, Buffer.from(sealed.data.iv, 'base64'));
      d.setAuthTag(Buffer.from(sealed.data.tag, 'base64'));
      obj = JSON.parse(Buffer.concat([d.update(Buffer.from(sealed.data.data, 'base64')), d.final()]).toString('utf8'));
    } catch {
      throw new KeyRingError(`KHOMAT_MASTER_KEY không mở được tệp khoá ${file} (sai khoá).`);
    }
  }
  const ring = ringSchema.safeParse(obj);
  if (!ring.success) throw new KeyRingError(`Tệp khoá ${file} không đúng định dạng.`);
  return ring.data;
}

function writeAtomically(file: string, content: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, content, { mode: 0o600 });
  fs.renameSync(tmp, file);
  fs.chmodSync(file, 0o600);
}

export interface FileKeyProviderOptions {
  keyDir: string;
  /** base64 of 32 bytes; seals the key ring. */
  sealingKey?: string | undefined;
  /** Create the ring when missing (first run). */
  create?: boolean;
}

export class FileKeyProvider implements KeyProvider {
  readonly kind = 'file' as const;
  private ring: Ring;
  private ringMtimeMs: number;
  private readonly file: string;
  private readonly sealingKey: Buffer | undefined;
  private readonly signingKey: crypto.KeyObject;
  private readonly publicKey: crypto.KeyObject;

  private constructor(file: string, ring: Ring, sealingKey: Buffer | undefined) {
    this.file = file;
    this.ring = ring;
    this.ringMtimeMs = fs.statSync(file).mtimeMs;
    this.sealingKey = sealingKey;
    this.signingKey = crypto.createPrivateKey({ key: Buffer.from(ring.signing, 'base64'), format: 'der', type: 'pkcs8' });
    this.publicKey = crypto.createPublicKey(this.signingKey);
  }

  static open(opts: FileKeyProviderOptions): FileKeyProvider {
    const sealingKey = parseSealingKey(opts.sealingKey);
    const file = path.join(opts.keyDir, KEYRING_FILE);
    if (!fs.existsSync(file)) {
      if (!opts.create) throw new KeyRingError(`Không tìm thấy tệp khoá ${file}.`);
      fs.mkdirSync(opts.keyDir, { recursive: true, mode: 0o700 });
      const ring = newRing();
      // 'wx' so two processes starting at once cannot both create a ring.
      try {
        fs.writeFileSync(file, serialise(ring, sealingKey), { mode: 0o600, flag: 'wx' });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
    }
    const ring = deserialise(fs.readFileSync(file, 'utf8'), sealingKey, file);
    return new FileKeyProvider(file, ring, sealingKey);
  }

  /** Re-reads the ring (another process may have rotated). */
  reload(): void {
    this.ringMtimeMs = fs.statSync(this.file).mtimeMs;
    this.ring = deserialise(fs.readFileSync(this.file, 'utf8'), this.sealingKey, this.file);
  }

  /** A rotation by `khomat keys rotate` in another process is picked up without a restart. */
  private refreshIfChanged(): void {
    try {
      if (fs.statSync(this.file).mtimeMs !== this.ringMtimeMs) this.reload();
    } catch {
      // The ring file vanished or is unreadable mid-rotation: keep the keys already in memory.
    }
  }

  currentMasterVersion(): number {
    this.refreshIfChanged();
    return this.ring.current;
  }

  private master(version: number): Buffer {
    let b64 = this.ring.masters[String(version)];
    if (b64 === undefined) {
      this.reload();
      b64 = this.ring.masters[String(version)];
    }
    if (b64 === undefined) throw new KeyRingError(`Thiếu khoá chủ phiên bản ${version} trong tệp khoá.`);
    return Buffer.from(b64, 'base64');
  }

  wrapDataKey(dataKey: Buffer): WrappedKey {
    const version = this.currentMasterVersion();
    const iv = crypto.randomBytes(12);
    const c = crypto.createCipheriv('aes-256-gcm', this.master(version), iv);
    c.setAAD(Buffer.from(`khomat-dk-v${version}`));
    const ct = Buffer.concat([c.update(dataKey), c.final()]);
    return { wrapped: Buffer.concat([iv, ct, c.getAuthTag()]), keyVersion: version, algorithm: 'aes-256-gcm-wrap' };
  }

  unwrapDataKey(wrapped: Buffer, keyVersion: number): Buffer {
    if (wrapped.length < 12 + 16 + 1) throw new KeyRingError('Khoá dữ liệu bọc không hợp lệ.');
    const d = crypto.createDecipheriv('aes-256-gcm', this.master(keyVersion), wrapped.subarray(0, 12));
    d.setAAD(Buffer.from(`khomat-dk-v${keyVersion}`));
    d.setAuthTag(wrapped.subarray(wrapped.length - 16));
    try {
      return Buffer.concat([d.update(wrapped.subarray(12, wrapped.length - 16)), d.final()]);
    } catch {
      throw new KeyRingError('Không mở được khoá dữ liệu: sai khoá chủ hoặc dữ liệu bị sửa.');
    }
  }

  rotateMaster(): number {
    this.reload();
    const next = Math.max(...Object.keys(this.ring.masters).map(Number)) + 1;
    const ring: Ring = { ...this.ring, current: next, masters: { ...this.ring.masters, [String(next)]: crypto.randomBytes(32).toString('base64') } };
    writeAtomically(this.file, serialise(ring, this.sealingKey));
    this.ring = ring;
    return next;
  }

  databaseKey(): Buffer {
    return Buffer.from(this.ring.database, 'base64');
  }

  sign(data: Buffer): Buffer {
    return crypto.sign(null, data, this.signingKey);
  }

  signingPublicKey(): crypto.KeyObject {
    return this.publicKey;
  }

  signingKeyId(): string {
    const der = this.publicKey.export({ format: 'der', type: 'spki' });
    return crypto.createHash('sha256').update(der).digest('hex').slice(0, 16);
  }
}
