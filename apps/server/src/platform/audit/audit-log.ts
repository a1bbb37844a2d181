import crypto from 'node:crypto';
import { type Kysely, type Selectable } from 'kysely';
import type { Clock, IdGenerator } from '../clock';
import type { Dialect } from '../db/database';
import { forUpdate } from '../db/dialect';
import type { AuditCheckpointsTable, AuditEventRow, Database } from '../db/schema';
import type { KeyProvider } from '../keys/key-provider';
import { AnchorFile, anchorSignatureValid, type AnchorEntry } from './anchor';
import {
  canonicalJson,
  chainKey,
  checkpointCode,
  checkpointMessage,
  checkpointMessageV2,
  deriveChainSecret,
  GENESIS_HASH,
  hashEvent,
  signatureHash,
  type ChainKey,
  type CheckpointFields,
} from './canonical';

/** What a use case records. Details are metadata only: ids, codes, names — never content. */
export interface AuditInput {
  actorId: string | null;
  action: string;
  subjectType?: string;
  subjectId?: string;
  details?: Record<string, unknown>;
}

export interface AuditWriter {
  /** Appends one event inside the caller's transaction. */
  append(tx: Kysely<Database>, input: AuditInput): Promise<AuditEventRow>;
}

export interface AuditLogDeps {
  dialect: Dialect;
  keys: Pick<KeyProvider, 'sign' | 'signingKeyId' | 'signingPublicKey' | 'databaseKey'>;
  clock: Clock;
  ids: IdGenerator;
  checkpointEvery: number;
  /** The anchor file (KHOMAT_KEY_DIR/audit-anchor.log); without it checkpoints stay in the database only. */
  anchorFile?: string;
  /** The database outside any transaction: checkpoints written inside an append are anchored once committed. */
  db?: Kysely<Database>;
}

export interface CheckpointSummary {
  seq: number;
  signedAt: string;
  code: string;
}

/** The default interval, used only for a chain without any chained checkpoint yet. */
export const DEFAULT_CHECKPOINT_EVERY = 100;

export type CheckpointRow = Selectable<AuditCheckpointsTable>;

export function fieldsOf(c: CheckpointRow): CheckpointFields {
  return {
    seq: Number(c.seq),
    hash: c.hash,
    signedAt: c.signed_at,
    prevSeq: Number(c.prev_seq ?? 0),
    prevSignatureHash: c.prev_signature_hash ?? '',
    every: Number(c.every ?? 0),
    keyedFrom: Number(c.keyed_from ?? 0),
  };
}

function anchorEntryOf(c: CheckpointRow): AnchorEntry {
  return { ...fieldsOf(c), keyId: c.key_id, signature: c.signature };
}

/** A checkpoint row's signature over what its format signs. */
export function checkpointSignatureValid(c: CheckpointRow, publicKey: crypto.KeyObject): boolean {
  const msg = Number(c.format) === 2 ? checkpointMessageV2(fieldsOf(c)) : checkpointMessage(Number(c.seq), c.hash);
  return crypto.verify(null, msg, publicKey, Buffer.from(c.signature, 'base64'));
}

/** The chain key of an installation (derived from its database key) from `keyedFrom` on. */
export function auditChainKey(keys: Pick<KeyProvider, 'databaseKey'>, keyedFrom: number): ChainKey {
  return chainKey(deriveChainSecret(keys.databaseKey()), keyedFrom);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/**
 * The append-only, hash-chained audit log. Each event commits to the previous one under the chain
 * key; the head row is locked by every writer, so concurrent writers queue and never fork the
 * chain. Every `checkpointEvery` events, on demand (timer, clean shutdown) the head is signed with
 * the provider's Ed25519 key in a checkpoint that also signs the previous checkpoint, and each
 * checkpoint is appended to the anchor file outside the database once committed.
 */
export class AuditLog implements AuditWriter {
  private readonly secret: Buffer;
  private chain: ChainKey | undefined;
  private readonly anchor: AnchorFile | undefined;
  private appended = false;
  private readonly pending = new Set<number>();
  private anchorWork: Promise<void> = Promise.resolve();

  constructor(private readonly deps: AuditLogDeps) {
    this.secret = deriveChainSecret(deps.keys.databaseKey());
    this.anchor = deps.anchorFile ? new AnchorFile(deps.anchorFile) : undefined;
  }

  private chainFor(keyedFrom: number): ChainKey {
    if (this.chain?.keyedFrom !== keyedFrom) this.chain = chainKey(this.secret, keyedFrom);
    return this.chain;
  }

  async append(tx: Kysely<Database>, input: AuditInput): Promise<AuditEventRow> {
    const head = await forUpdate(
      this.deps.dialect,
      tx.selectFrom('audit_head').select(['seq', 'hash', 'keyed_from']).where('id', '=', 1),
    ).executeTakeFirstOrThrow();
    const row: AuditEventRow = {
      seq: Number(head.seq) + 1,
      id: this.deps.ids(),
      occurred_at: this.deps.clock.now().toISOString(),
      actor_id: input.actorId,
      action: input.action,
      subject_type: input.subjectType ?? null,
      subject_id: input.subjectId ?? null,
      details: canonicalJson(input.details ?? {}),
      prev_hash: head.hash,
      hash: '',
    };
    row.hash = hashEvent(row, this.chainFor(Number(head.keyed_from)));
    await tx.insertInto('audit_events').values(row).execute();
    await tx.updateTable('audit_head').set({ seq: row.seq, hash: row.hash }).where('id', '=', 1).execute();
    this.appended = true;
    if (row.seq % this.deps.checkpointEvery === 0) {
      const cp = await this.writeCheckpoint(tx, { seq: row.seq, hash: row.hash, keyedFrom: Number(head.keyed_from) });
      if (cp) this.anchorWhenCommitted(cp.seq);
    }
    return row;
  }

  /** Signs the head, chained to the latest checkpoint; nothing when the head is signed already. */
  private async writeCheckpoint(tx: Kysely<Database>, head: { seq: number; hash: string; keyedFrom: number }): Promise<AnchorEntry | null> {
    const last = await tx.selectFrom('audit_checkpoints').select(['seq', 'signature']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
    // A checkpoint at or past the head: already signed, or the tail was cut — never sign over it.
    if (last && Number(last.seq) >= head.seq) return null;
    const fields: CheckpointFields = {
      seq: head.seq,
      hash: head.hash,
      signedAt: this.deps.clock.now().toISOString(),
      prevSeq: last ? Number(last.seq) : 0,
      prevSignatureHash: last ? signatureHash(last.signature) : GENESIS_HASH,
      every: this.deps.checkpointEvery,
      keyedFrom: head.keyedFrom,
    };
    const signature = this.deps.keys.sign(checkpointMessageV2(fields)).toString('base64');
    const keyId = this.deps.keys.signingKeyId();
    await tx
      .insertInto('audit_checkpoints')
      .values({
        seq: fields.seq,
        hash: fields.hash,
        signed_at: fields.signedAt,
        key_id: keyId,
        signature,
        format: 2,
        prev_seq: fields.prevSeq,
        prev_signature_hash: fields.prevSignatureHash,
        every: fields.every,
        keyed_from: fields.keyedFrom,
      })
      .execute();
    return { ...fields, keyId, signature };
  }

  /**
   * Signs the current head unless it is signed already (timer, clean shutdown, end of a command),
   * and writes the checkpoint to the anchor file. `restored` marks the checkpoint that follows a
   * restore from backup, so that the anchor stops expecting what the restore rolled back.
   */
  async checkpointHead(db: Kysely<Database>, opts: { restored?: boolean } = {}): Promise<CheckpointSummary | null> {
    const written = await db.transaction().execute(async (tx) => {
      const head = await forUpdate(
        this.deps.dialect,
        tx.selectFrom('audit_head').select(['seq', 'hash', 'keyed_from']).where('id', '=', 1),
      ).executeTakeFirstOrThrow();
      if (Number(head.seq) === 0) return null;
      return this.writeCheckpoint(tx, { seq: Number(head.seq), hash: head.hash, keyedFrom: Number(head.keyed_from) });
    });
    this.appended = false;
    let entry = written;
    if (!entry && opts.restored) {
      const last = await db.selectFrom('audit_checkpoints').selectAll().where('format', '=', 2).orderBy('seq', 'desc').limit(1).executeTakeFirst();
      if (last) entry = anchorEntryOf(last);
    }
    if (entry && this.anchor) {
      const line = opts.restored ? { ...entry, restored: true as const } : entry;
      await this.serially(() => this.anchor!.append([line]));
    }
    return entry ? { seq: entry.seq, signedAt: entry.signedAt, code: checkpointCode(entry.signature) } : null;
  }

  /** True when this process appended events since it last signed the head. */
  hasUnsignedAppends(): boolean {
    return this.appended;
  }

  /** Anchors every signed checkpoint of the database newer than the anchor file's last one. */
  async syncAnchor(db: Kysely<Database>): Promise<void> {
    const anchor = this.anchor;
    if (!anchor) return;
    await this.serially(async () => {
      const rows = await db
        .selectFrom('audit_checkpoints')
        .selectAll()
        .where('seq', '>', anchor.anchoredSeq())
        .where('format', '=', 2)
        .orderBy('seq')
        .execute();
      const pub = this.deps.keys.signingPublicKey();
      anchor.append(rows.map(anchorEntryOf).filter((e) => anchorSignatureValid(e, pub)));
    });
  }

  /** Waits for the anchoring of checkpoints written inside transactions (before closing). */
  async settle(db: Kysely<Database>): Promise<void> {
    await this.anchorWork;
    await this.syncAnchor(db);
  }

  async head(db: Kysely<Database>): Promise<{ seq: number; hash: string }> {
    return db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
  }

  private serially(fn: () => void | Promise<void>): Promise<void> {
    const run = this.anchorWork.then(fn);
    this.anchorWork = run.catch(() => undefined);
    return run;
  }

  /**
   * A checkpoint written inside a caller's transaction reaches the anchor file only once that
   * transaction committed: it is read back from the database (SQLite queues the read behind the
   * transaction; PostgreSQL is asked again until it shows or, rolled back, never does).
   */
  private anchorWhenCommitted(seq: number): void {
    const db = this.deps.db;
    const anchor = this.anchor;
    if (!db || !anchor) return;
    this.pending.add(seq);
    void this.serially(async () => {
      const pub = this.deps.keys.signingPublicKey();
      for (let attempt = 0; attempt < 12 && this.pending.size > 0; attempt++) {
        if (attempt > 0) await sleep(25 * attempt);
        const rows = await db
          .selectFrom('audit_checkpoints')
          .selectAll()
          .where('seq', 'in', [...this.pending])
          .orderBy('seq')
          .execute();
        const fresh = rows.map(anchorEntryOf).filter((e) => e.seq > anchor.anchoredSeq() && anchorSignatureValid(e, pub));
        anchor.append(fresh);
        for (const r of rows) this.pending.delete(Number(r.seq));
      }
      this.pending.clear();
    });
  }
}
