import crypto from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { integrityError } from './blob-errors';
import { Sha256Job } from './sha256-thread';

// Streaming envelope encryption of one stored file ("blob").
//
// File layout (all integers big-endian):
//
//   header  = "KHOMAT-BLOB" (11) | format version u8 (=1) | chunk size u32 | nonce prefix (8)
//   chunk_i = ciphertext_i (chunk size bytes, fewer only for the last chunk) | GCM tag (16)
//
// Every file has at least one chunk; the last one carries the "final" flag in its AAD and may
// be empty (the empty file is exactly header + one 16-byte tag). Non-final chunks are always
// full, so a reader finds chunk boundaries from the chunk size alone and needs no length fields
// that an attacker could edit.
//
// AAD of chunk i = header | len(fileId) u8 | fileId (UTF-8) | i u32 | final u8. Binding:
//  - the header: any edit of magic/version/chunk size/nonce prefix fails the first chunk;
//  - the file id: a file moved under another blob's row fails even if keys were ever shared;
//  - the index: swapped, reordered or duplicated chunks fail;
//  - the final flag: dropping whole chunks at the end (truncation) makes the new last chunk
//    fail, and appended bytes make the real last chunk be read as non-final, which fails too.
//
// Nonce: nonce prefix (8 random bytes per file, in the header) | chunk index u32. Deterministic
// within a file, so uniqueness under one key is structural — the index never repeats and we stop
// at 2^32 chunks (4 PiB at 1 MiB) — rather than probabilistic as with random per-chunk nonces,
// and costs no bytes per chunk. Each file already gets a fresh random data key, so nonces never
// meet across files; the random prefix is defence in depth should a caller ever reuse a data key
// by mistake (two encryptions would then collide only with probability 2^-64, not certainly).

const MAGIC = Buffer.from('KHOMAT-BLOB', 'ascii');
const FORMAT_VERSION = 1;
const NONCE_PREFIX_LENGTH = 8;
export const BLOB_HEADER_LENGTH = MAGIC.length + 1 + 4 + NONCE_PREFIX_LENGTH;
export const BLOB_TAG_LENGTH = 16;
export const DATA_KEY_LENGTH = 32;
/**
 * 1 MiB: per-chunk costs (a cipher, a thread-pool job, a write) were a third of the time at
 * 64 KiB. The size is in each file's header, so files written with another size read as before.
 */
export const DEFAULT_CHUNK_SIZE = 1024 * 1024;
/**
 * Upper bound on the chunk size. The reader buffers one chunk before its tag verifies, and the
 * chunk size comes from the (not yet authenticated) header, so this caps what a forged header
 * can make it buffer.
 */
export const MAX_CHUNK_SIZE = 16 * 1024 * 1024;
const MAX_CHUNKS = 0x1_0000_0000;
/** Stored in `blobs.algorithm`: names the content format, so a future format can coexist. */
export const BLOB_CONTENT_ALGORITHM = 'khomat-blob-1/aes-256-gcm-chunked';

/** Size on disk of a blob of `plainSize` bytes; callers use it to check files and plan space. */
export function encryptedSize(plainSize: number, chunkSize: number): number {
  return BLOB_HEADER_LENGTH + chunkCountFor(plainSize, chunkSize) * BLOB_TAG_LENGTH + plainSize;
}

export function chunkCountFor(plainSize: number, chunkSize: number): number {
  return Math.max(1, Math.ceil(plainSize / chunkSize));
}

/** A fresh random data key for one file. */
export function newDataKey(): Buffer {
  return crypto.randomBytes(DATA_KEY_LENGTH);
}

function fileIdBytes(fileId: string): Buffer {
  const bytes = Buffer.from(fileId, 'utf8');
  if (bytes.length === 0 || bytes.length > 255) throw new RangeError('file id must be 1..255 bytes of UTF-8');
  return bytes;
}

/** header | len(fileId) | fileId — the part of every chunk's AAD that does not change. */
function aadPrefix(header: Buffer, id: Buffer): Buffer {
  return Buffer.concat([header, Buffer.from([id.length]), id]);
}

function chunkAad(prefix: Buffer, index: number, final: boolean): Buffer {
  const aad = Buffer.allocUnsafe(prefix.length + 5);
  prefix.copy(aad, 0);
  aad.writeUInt32BE(index, prefix.length);
  aad[prefix.length + 4] = final ? 1 : 0;
  return aad;
}

function chunkNonce(noncePrefix: Buffer, index: number): Buffer {
  const nonce = Buffer.allocUnsafe(NONCE_PREFIX_LENGTH + 4);
  noncePrefix.copy(nonce, 0);
  nonce.writeUInt32BE(index, NONCE_PREFIX_LENGTH);
  return nonce;
}

function checkChunkSize(chunkSize: number): void {
  if (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) {
    throw new RangeError(`chunk size must be an integer in 1..${MAX_CHUNK_SIZE}`);
  }
}

/**
 * FIFO of incoming buffers. Taking n bytes returns views into the queued buffers, so input is
 * never copied just to find chunk boundaries.
 */
class ByteQueue {
  private parts: Buffer[] = [];
  length = 0;

  push(b: Buffer): void {
    if (b.length === 0) return;
    this.parts.push(b);
    this.length += b.length;
  }

  take(n: number): Buffer[] {
    const out: Buffer[] = [];
    let need = n;
    while (need > 0) {
      const head = this.parts[0];
      if (head === undefined) throw new Error('ByteQueue underflow');
      if (head.length <= need) {
        out.push(head);
        this.parts.shift();
        need -= head.length;
      } else {
        out.push(head.subarray(0, need));
        this.parts[0] = head.subarray(need);
        need = 0;
      }
    }
    this.length -= n;
    return out;
  }

  /** The queued buffers, in order, left in the queue. */
  peek(): readonly Buffer[] {
    return this.parts;
  }

  takeContiguous(n: number): Buffer {
    const parts = this.take(n);
    return parts.length === 1 && parts[0] !== undefined ? parts[0] : Buffer.concat(parts, n);
  }
}

function toBuffer(data: unknown, encoding: BufferEncoding): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (data instanceof Uint8Array) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (typeof data === 'string') return Buffer.from(data, encoding);
  throw new TypeError('blob streams take bytes');
}

/**
 * The data key as a KeyObject: OpenSSL's copy, outside the JavaScript heap. Callers wipe their raw
 * key as soon as the stream is constructed.
 */
function dataKeyObject(dataKey: Buffer): crypto.KeyObject {
  // A wrong-length key is a programming error, not a damaged file: a plain RangeError.
  if (dataKey.length !== DATA_KEY_LENGTH) throw new RangeError(`data key must be ${DATA_KEY_LENGTH} bytes`);
  return crypto.createSecretKey(dataKey);
}

/*
 * AES-GCM runs through node:crypto's ciphers, synchronously, one chunk at a time, on the thread
 * that runs the stream. Measured here (bench "blobstore"): WebCrypto on the thread pool copied
 * every chunk in and allocated every result, and put and open ran at less than half their slowest
 * stage; with the synchronous cipher and the file read ahead on the pool, the disk and the cipher
 * overlap instead. A chunk's plaintext is handed on only after final() has checked its tag.
 */

/**
 * Encrypting transform: plaintext in, blob file bytes out. It also measures the plaintext (size
 * and SHA-256), so the blob store needs no separate pass over the bytes. Each chunk goes out as one
 * buffer, ciphertext then tag.
 *
 * Where the SHA-256 is computed: a plaintext that fits in one chunk is hashed here at the end, from
 * the buffers it arrived in. A longer one is hashed on the hashing thread (sha256-thread.ts) from
 * the moment its first chunk is sealed, while this thread encrypts: on two cores the two then run
 * side by side. Until then every byte is still queued here, so the switch loses none.
 */
export class BlobEncryptStream extends Transform {
  private readonly key: crypto.KeyObject;
  private readonly chunkSize: number;
  private readonly header: Buffer;
  private readonly noncePrefix: Buffer;
  private readonly aad: Buffer;
  private readonly queue = new ByteQueue();
  /** The hashing thread's job, once the plaintext is longer than one chunk. */
  private hashJob: Sha256Job | undefined;
  private headerSent = false;
  private index = 0;
  private bytesIn = 0;
  private digest = '';

  constructor(dataKey: Buffer, fileId: string, chunkSize: number = DEFAULT_CHUNK_SIZE) {
    super();
    checkChunkSize(chunkSize);
    this.key = dataKeyObject(dataKey);
    this.chunkSize = chunkSize;
    this.noncePrefix = crypto.randomBytes(NONCE_PREFIX_LENGTH);
    this.header = Buffer.alloc(BLOB_HEADER_LENGTH);
    MAGIC.copy(this.header, 0);
    this.header[MAGIC.length] = FORMAT_VERSION;
    this.header.writeUInt32BE(chunkSize, MAGIC.length + 1);
    this.noncePrefix.copy(this.header, MAGIC.length + 5);
    this.aad = aadPrefix(this.header, fileIdBytes(fileId));
  }

  /** Chunks written so far (the final count once the stream has finished). */
  get chunkCount(): number {
    return this.index;
  }

  /** Plaintext bytes taken in so far. */
  get plaintextBytes(): number {
    return this.bytesIn;
  }

  /** SHA-256 (hex) of the whole plaintext; empty until the stream has finished. */
  get plaintextSha256(): string {
    return this.digest;
  }

  override _transform(data: unknown, encoding: BufferEncoding, callback: TransformCallback): void {
    let hashing: Promise<void> | undefined;
    try {
      const buf = toBuffer(data, encoding);
      this.sendHeader();
      this.queue.push(buf);
      this.bytesIn += buf.length;
      if (this.hashJob) hashing = this.hashJob.update(buf);
      else if (this.queue.length > this.chunkSize) hashing = this.startHashJob();
    } catch (e) {
      return callback(e as Error);
    }
    // The bytes must be in the hash (copied to the ring) before their chunk is sealed and pushed on.
    if (hashing) hashing.then(() => this.sealFullChunks(callback), callback);
    else this.sealFullChunks(callback);
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.sendHeader();
      let digest: Promise<string> | undefined;
      if (this.hashJob) {
        digest = this.hashJob.digest();
      } else {
        // At most one chunk's bytes: hashed here, from the buffers still queued.
        const hash = crypto.createHash('sha256');
        for (const p of this.queue.peek()) hash.update(p);
        this.digest = hash.digest('hex');
      }
      this.sealChunk(this.queue.take(this.queue.length), true);
      if (!digest) return callback();
      digest.then((hex) => {
        this.digest = hex;
        callback();
      }, callback);
    } catch (e) {
      callback(e as Error);
    }
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.hashJob?.abort();
    callback(error);
  }

  /** The plaintext outgrew one chunk: hashing moves to the hashing thread, starting with every byte queued so far. */
  private startHashJob(): Promise<void> | undefined {
    const job = new Sha256Job();
    this.hashJob = job;
    const parts = [...this.queue.peek()];
    const next = (i: number): Promise<void> | undefined => {
      for (; i < parts.length; i++) {
        const wait = job.update(parts[i] as Buffer);
        if (wait) return wait.then(() => next(i + 1));
      }
      return undefined;
    };
    return next(0);
  }

  /**
   * A full chunk is sealed only once at least one more byte exists: until then we cannot know
   * whether it is the final chunk, and the final flag is part of its AAD.
   */
  private sealFullChunks(callback: TransformCallback): void {
    try {
      while (this.queue.length > this.chunkSize) this.sealChunk(this.queue.take(this.chunkSize), false);
    } catch (e) {
      return callback(e as Error);
    }
    callback();
  }

  private sendHeader(): void {
    if (this.headerSent) return;
    this.headerSent = true;
    this.push(this.header);
  }

  /** One chunk, sealed from the caller's buffers as they are (a chunk may span several): ciphertext, then its tag. */
  private sealChunk(parts: Buffer[], final: boolean): void {
    if (this.index >= MAX_CHUNKS) throw new RangeError('blob too large: chunk index would repeat a nonce');
    const cipher = crypto.createCipheriv('aes-256-gcm', this.key, chunkNonce(this.noncePrefix, this.index), { authTagLength: BLOB_TAG_LENGTH });
    cipher.setAAD(chunkAad(this.aad, this.index, final));
    for (const p of parts) {
      const out = cipher.update(p);
      if (out.length > 0) this.push(out);
    }
    const rest = cipher.final();
    if (rest.length > 0) this.push(rest);
    this.push(cipher.getAuthTag());
    this.index++;
  }
}

/**
 * Decrypting transform: blob file bytes in, plaintext out. A chunk's plaintext is pushed only
 * after its tag verified (final() checks the tag before any of the chunk's plaintext is handed on);
 * any failure destroys the stream with `blob.integrity_failed`.
 *
 * What streaming cannot give: chunks before a damaged one have already been delivered (they
 * were authentic), and a truncated file is only known to be truncated at its end. A consumer
 * must therefore treat the stream's 'error' as "the whole file failed", never keep a partial
 * result; BlobStore does so, and also checks size and SHA-256 at the end.
 */
export class BlobDecryptStream extends Transform {
  private readonly key: crypto.KeyObject;
  private readonly id: Buffer;
  private readonly queue = new ByteQueue();
  private chunkSize = 0;
  private noncePrefix: Buffer | undefined;
  private aad: Buffer | undefined;
  private index = 0;
  private verified = 0;
  private bytesOut = 0;

  constructor(dataKey: Buffer, fileId: string) {
    super();
    this.key = dataKeyObject(dataKey);
    this.id = fileIdBytes(fileId);
  }

  /** Chunks verified so far. */
  get chunkCount(): number {
    return this.verified;
  }

  /** Chunk size read from the header (0 before the header has arrived). */
  get headerChunkSize(): number {
    return this.chunkSize;
  }

  /** Verified plaintext bytes pushed so far. */
  get plaintextBytes(): number {
    return this.bytesOut;
  }

  override _transform(data: unknown, encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.queue.push(toBuffer(data, encoding));
      if (this.aad === undefined) {
        if (this.queue.length < BLOB_HEADER_LENGTH) return callback();
        this.readHeader(this.queue.takeContiguous(BLOB_HEADER_LENGTH));
      }
      // Strictly more than one record buffered means the first is not the last one.
      const record = this.chunkSize + BLOB_TAG_LENGTH;
      while (this.queue.length > record) this.openChunk(this.chunkSize, false);
    } catch (e) {
      return callback(e as Error);
    }
    callback();
  }

  override _flush(callback: TransformCallback): void {
    try {
      if (this.aad === undefined) throw integrityError('header_truncated');
      // What is left must be exactly the final chunk (the loop above always leaves at least one
      // byte once a chunk follows the header). Less than a tag means a cut inside the final
      // chunk's tag or right after the header. A cut at a chunk boundary leaves a full non-final
      // chunk here, which then fails to verify as final.
      if (this.queue.length < BLOB_TAG_LENGTH) throw integrityError('chunk_truncated', { chunk: this.index });
      this.openChunk(this.queue.length - BLOB_TAG_LENGTH, true);
    } catch (e) {
      return callback(e as Error);
    }
    callback();
  }

  private readHeader(header: Buffer): void {
    if (!header.subarray(0, MAGIC.length).equals(MAGIC)) throw integrityError('bad_magic');
    const version = header[MAGIC.length];
    if (version !== FORMAT_VERSION) throw integrityError('unsupported_version', { version });
    const chunkSize = header.readUInt32BE(MAGIC.length + 1);
    if (chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) throw integrityError('bad_chunk_size');
    this.chunkSize = chunkSize;
    // Copy: the header may be a view into a caller's buffer that they reuse.
    const own = Buffer.from(header);
    this.noncePrefix = own.subarray(MAGIC.length + 5);
    this.aad = aadPrefix(own, this.id);
  }

  private openChunk(ciphertextLength: number, final: boolean): void {
    const index = this.index;
    if (index >= MAX_CHUNKS) throw integrityError('chunk_auth_failed', { chunk: index });
    const ciphertext = this.queue.take(ciphertextLength);
    const tag = this.queue.takeContiguous(BLOB_TAG_LENGTH);
    const decipher = crypto.createDecipheriv('aes-256-gcm', this.key, chunkNonce(this.noncePrefix as Buffer, index), { authTagLength: BLOB_TAG_LENGTH });
    decipher.setAAD(chunkAad(this.aad as Buffer, index, final));
    decipher.setAuthTag(tag);
    // Held back until final() has checked the tag: nothing unauthenticated leaves this stream.
    const plain = ciphertext.map((p) => decipher.update(p));
    try {
      plain.push(decipher.final());
    } catch {
      throw integrityError('chunk_auth_failed', { chunk: index, final });
    }
    this.index++;
    this.verified++;
    for (const p of plain) {
      this.bytesOut += p.length;
      if (p.length > 0) this.push(p);
    }
  }
}

/** Encrypts a plaintext stream into the blob format; pipe the source into it. */
export function createEncryptStream(dataKey: Buffer, fileId: string, chunkSize: number = DEFAULT_CHUNK_SIZE): BlobEncryptStream {
  return new BlobEncryptStream(dataKey, fileId, chunkSize);
}

/** Decrypts and verifies a blob stream; the chunk size comes from the (authenticated) header. */
export function createDecryptStream(dataKey: Buffer, fileId: string): BlobDecryptStream {
  return new BlobDecryptStream(dataKey, fileId);
}
