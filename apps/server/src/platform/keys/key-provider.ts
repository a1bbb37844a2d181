import type { KeyObject } from 'node:crypto';

/** Wrapped data key as stored beside what it protects. */
export interface WrappedKey {
  wrapped: Buffer;
  keyVersion: number;
  algorithm: 'aes-256-gcm-wrap';
}

/**
 * Where KhoMật's keys live. The file provider keeps a key ring on disk; a PKCS#11 provider
 * (HSM) implements the same interface. Callers never see a master key.
 */
export interface KeyProvider {
  readonly kind: 'file' | 'pkcs11';
  /** Version of the master key new data keys are wrapped under. */
  currentMasterVersion(): number;
  wrapDataKey(dataKey: Buffer): WrappedKey;
  unwrapDataKey(wrapped: Buffer, keyVersion: number): Buffer;
  /** Creates a new master key version and makes it current; old versions stay for unwrapping. */
  rotateMaster(): number;
  /** Raw 256-bit key of the embedded SQLCipher database. */
  databaseKey(): Buffer;
  /** Ed25519 signature over audit checkpoints. */
  sign(data: Buffer): Buffer;
  signingPublicKey(): KeyObject;
  /** Stable id of the signing key (SHA-256 of its public key, hex, first 16). */
  signingKeyId(): string;
  /** Releases what the provider holds (an HSM session); absent when there is nothing to release. */
  close?(): void;
}
