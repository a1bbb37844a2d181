import crypto from 'node:crypto';

/** JSON with object keys sorted at every depth: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object' && !(v instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v as object).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined) out[k] = sortKeys(x);
    }
    return out;
  }
  return v;
}

export interface HashedFields {
  seq: number;
  id: string;
  occurred_at: string;
  actor_id: string | null;
  action: string;
  subject_type: string | null;
  subject_id: string | null;
  details: string;
  prev_hash: string;
}

/**
 * The canonical text of an event: a JSON array of its scalar columns in a fixed order. All are
 * strings, numbers or null (details is already canonical JSON text), so JSON.stringify is canonical.
 */
export function hashedText(e: HashedFields): string {
  return JSON.stringify([e.seq, e.id, e.occurred_at, e.actor_id, e.action, e.subject_type, e.subject_id, e.details, e.prev_hash]);
}

export function sha256Hex(text: string): string {
  return crypto.hash('sha256', text, 'hex');
}

/**
 * The hash of an event: HMAC-SHA256 under the chain key for events at or after `keyedFrom` (every
 * event of an install made since migration 0005), plain SHA-256 for the events written before it.
 * Without the chain key nobody can compute a hash the verifier accepts, so an edited or forged
 * event cannot be re-chained with database access alone (docs/architecture.md, "Audit chain").
 */
export function hashEvent(e: HashedFields, chain?: ChainKey): string {
  return chain ? chain.hash(e.seq, hashedText(e)) : sha256Hex(hashedText(e));
}

/** The key of the hash chain and the first sequence number it covers. */
export interface ChainKey {
  keyedFrom: number;
  /** The hash of the canonical text of event `seq`. */
  hash(seq: number, text: string): string;
}

/**
 * The chain key, derived from the installation's database key (HKDF-SHA256, its own label, so
 * it opens nothing else). The database key never reaches PostgreSQL: an administrator of the
 * database server does not hold it.
 */
export function deriveChainSecret(databaseKey: Buffer): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', databaseKey, Buffer.from('khomat-audit'), Buffer.from('khomat-audit-chain-key-1'), 32));
}

export function chainKey(secret: Buffer, keyedFrom: number): ChainKey {
  const key = crypto.createSecretKey(secret);
  return {
    keyedFrom,
    hash: (seq, text) => (seq >= keyedFrom ? crypto.createHmac('sha256', key).update(text).digest('hex') : sha256Hex(text)),
  };
}

export const GENESIS_HASH = '0'.repeat(64);

/** The bytes a checkpoint signature covers (format 1: before migration 0005, not chained). */
export function checkpointMessage(seq: number, hash: string): Buffer {
  return Buffer.from(`khomat-audit-checkpoint-1|${seq}|${hash}`, 'utf8');
}

/** A signed checkpoint of format 2: it signs the event head, its time and the previous checkpoint. */
export interface CheckpointFields {
  seq: number;
  hash: string;
  signedAt: string;
  /** The previous checkpoint's seq (0 for the first) and the SHA-256 of its signature. */
  prevSeq: number;
  prevSignatureHash: string;
  /** The checkpoint interval in force when signed: the longest gap the chain may show after it. */
  every: number;
  keyedFrom: number;
}

export function checkpointMessageV2(c: CheckpointFields): Buffer {
  return Buffer.from(['khomat-audit-checkpoint-2', c.seq, c.hash, c.signedAt, c.prevSeq, c.prevSignatureHash, c.every, c.keyedFrom].join('|'), 'utf8');
}

/** SHA-256 of a signature (base64 as stored): what the next checkpoint links to. */
export function signatureHash(signatureB64: string): string {
  return crypto.hash('sha256', Buffer.from(signatureB64, 'base64'), 'hex');
}

/**
 * The short code of a checkpoint for the paper register: 20 hex digits of the SHA-256 of its
 * signature, in groups of four. The signature covers the whole checkpoint, so the code names it.
 */
export function checkpointCode(signatureB64: string): string {
  return signatureHash(signatureB64).slice(0, 20).toUpperCase().match(/.{4}/g)!.join('-');
}
