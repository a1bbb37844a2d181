import fs from 'node:fs';
import type { Config } from '../config';
import { FileKeyProvider } from './file-key-provider';
import type { KeyProvider } from './key-provider';
import { Pkcs11KeyError, Pkcs11KeyProvider } from './pkcs11-key-provider';

type KeyConfig = Pick<Config, 'keyDir' | 'keyProvider' | 'pkcs11Library' | 'pkcs11Token' | 'pkcs11Pin' | 'pkcs11PinFile'>;

export interface OpenKeyProviderOptions {
  /** Create missing keys (server start, `khomat init`); false for commands that must not. */
  create: boolean;
  /** Seals the file key ring (KHOMAT_MASTER_KEY); unused by the PKCS#11 provider. */
  sealingKey?: string | undefined;
}

/** The PIN from KHOMAT_PKCS11_PIN or the first line of KHOMAT_PKCS11_PIN_FILE. */
export function pkcs11Pin(config: Pick<Config, 'pkcs11Pin' | 'pkcs11PinFile'>): string {
  if (config.pkcs11Pin !== undefined) return config.pkcs11Pin;
  if (config.pkcs11PinFile === undefined) throw new Pkcs11KeyError('Cần KHOMAT_PKCS11_PIN hoặc KHOMAT_PKCS11_PIN_FILE.');
  let text: string;
  try {
    text = fs.readFileSync(config.pkcs11PinFile, 'utf8');
  } catch (e) {
    throw new Pkcs11KeyError(`Không đọc được tệp mã PIN ${config.pkcs11PinFile} (KHOMAT_PKCS11_PIN_FILE): ${(e as NodeJS.ErrnoException).code ?? 'lỗi'}.`);
  }
  const pin = text.split(/\r?\n/)[0] ?? '';
  if (pin === '') throw new Pkcs11KeyError(`Tệp mã PIN ${config.pkcs11PinFile} (KHOMAT_PKCS11_PIN_FILE) trống.`);
  return pin;
}

/** The production key provider chosen by KHOMAT_KEY_PROVIDER (file by default). */
export function openKeyProvider(config: KeyConfig, opts: OpenKeyProviderOptions): KeyProvider {
  if (config.keyProvider === 'pkcs11') {
    return Pkcs11KeyProvider.open({
      library: config.pkcs11Library,
      tokenLabel: config.pkcs11Token,
      pin: pkcs11Pin(config),
      keyDir: config.keyDir,
      create: opts.create,
    });
  }
  return FileKeyProvider.open({ keyDir: config.keyDir, sealingKey: opts.sealingKey, create: opts.create });
}

/** Releases what a provider holds (the HSM session); a no-op for the file provider. */
export function closeKeyProvider(keys: KeyProvider): void {
  keys.close?.();
}
