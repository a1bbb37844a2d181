import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileKeyProvider, KEYRING_FILE } from './file-key-provider';

describe('file key provider', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'khomat-keys-'));
    dirs.push(d);
    return path.join(d, 'keys');
  };
  afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it('creates a 0600 key ring on first run and reopens it', () => {
    const dir = tmp();
    expect(() => FileKeyProvider.open({ keyDir: dir })).toThrow(/Không tìm thấy/);
    const a = FileKeyProvider.open({ keyDir: dir, create: true });
    expect(fs.statSync(path.join(dir, KEYRING_FILE)).mode & 0o777).toBe(0o600);
    const b = FileKeyProvider.open({ keyDir: dir });
    expect(b.databaseKey().equals(a.databaseKey())).toBe(true);
    expect(b.signingKeyId()).toBe(a.signingKeyId());
    const w = a.wrapDataKey(Buffer.alloc(32, 9));
    expect(b.unwrapDataKey(w.wrapped, w.keyVersion).equals(Buffer.alloc(32, 9))).toBe(true);
  });

  it('rotates: new keys wrap under the new version, old wrapped keys still open, other processes follow', () => {
    const dir = tmp();
    const a = FileKeyProvider.open({ keyDir: dir, create: true });
    const server = FileKeyProvider.open({ keyDir: dir });
    const old = a.wrapDataKey(Buffer.alloc(32, 1));
    expect(a.rotateMaster()).toBe(2);
    expect(a.wrapDataKey(Buffer.alloc(32, 2)).keyVersion).toBe(2);
    expect(a.unwrapDataKey(old.wrapped, 1).equals(Buffer.alloc(32, 1))).toBe(true);
    // The running server picks up the rotation on its next wrap (mtime may share a tick: force).
    fs.utimesSync(path.join(dir, KEYRING_FILE), new Date(), new Date(Date.now() + 5000));
    expect(server.wrapDataKey(Buffer.alloc(32, 3)).keyVersion).toBe(2);
  });

  it('detects a tampered wrapped key and a wrong version', () => {
    const a = FileKeyProvider.open({ keyDir: tmp(), create: true });
    const w = a.wrapDataKey(crypto.randomBytes(32));
    const bad = Buffer.from(w.wrapped);
    bad[20]! ^= 1;
    expect(() => a.unwrapDataKey(bad, 1)).toThrow(/Không mở được/);
    expect(() => a.unwrapDataKey(w.wrapped, 7)).toThrow(/Thiếu khoá chủ/);
  });

  it('seals the ring with KHOMAT_MASTER_KEY when given', () => {
    const dir = tmp();
    const seal = crypto.randomBytes(32).toString('base64');
    const a = FileKeyProvider.open({ keyDir: dir, create: true, sealingKey: seal });
    const text = fs.readFileSync(path.join(dir, KEYRING_FILE), 'utf8');
    expect(text).toMatch(/khomat-keyring-sealed-1/);
    expect(text).not.toContain(a.databaseKey().toString('base64'));
    expect(() => FileKeyProvider.open({ keyDir: dir })).toThrow(/KHOMAT_MASTER_KEY/);
    expect(() => FileKeyProvider.open({ keyDir: dir, sealingKey: crypto.randomBytes(32).toString('base64') })).toThrow(/sai khoá/);
    expect(FileKeyProvider.open({ keyDir: dir, sealingKey: seal }).databaseKey().equals(a.databaseKey())).toBe(true);
    expect(() => FileKeyProvider.open({ keyDir: dir, sealingKey: 'short' })).toThrow(/32 byte/);
  });
});
