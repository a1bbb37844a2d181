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

/** SHA-256 over the canonical content of an event, including its sequence and predecessor. */
export function hashEvent(e: HashedFields): string {
  return sha256Hex(hashedText(e));
}

export const GENESIS_HASH = '0'.repeat(64);

/** The bytes a checkpoint signature covers. */
export function checkpointMessage(seq: number, hash: string): Buffer {
  return Buffer.from(`khomat-audit-checkpoint-1|${seq}|${hash}`, 'utf8');
}
