import type { KeyProvider } from '../keys/key-provider';

// Small secrets kept in rows (TOTP seeds) are sealed under the master key, so a PostgreSQL dump
// or a stolen SQLite key alone does not reveal them. Format: "<keyVersion>:<base64>".

export function sealSmall(keys: Pick<KeyProvider, 'wrapDataKey'>, plaintext: string): string {
  const w = keys.wrapDataKey(Buffer.from(plaintext, 'utf8'));
  return `${w.keyVersion}:${w.wrapped.toString('base64')}`;
}

export function unsealSmall(keys: Pick<KeyProvider, 'unwrapDataKey'>, sealed: string): string {
  const i = sealed.indexOf(':');
  const version = Number(sealed.slice(0, i));
  return keys.unwrapDataKey(Buffer.from(sealed.slice(i + 1), 'base64'), version).toString('utf8');
}

export function sealedKeyVersion(sealed: string): number {
  return Number(sealed.slice(0, sealed.indexOf(':')));
}
