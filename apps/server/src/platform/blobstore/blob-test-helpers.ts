import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createDecryptStream, createEncryptStream } from './blob-crypto';

// Shared by the blob store's tests (not product code): feed bytes through the crypto streams in
// pieces of chosen sizes, so chunk boundaries fall anywhere relative to the input buffers.

/** Splits `data` into pieces whose sizes cycle through `sizes` (whole buffer when empty). */
export function piecesOf(data: Buffer, sizes: readonly number[] = []): Buffer[] {
  if (sizes.length === 0) return [data];
  const out: Buffer[] = [];
  let at = 0;
  let i = 0;
  while (at < data.length) {
    const n = Math.max(1, sizes[i++ % sizes.length] ?? 1);
    out.push(data.subarray(at, at + n));
    at += n;
  }
  return out;
}

export async function encryptBuffer(plain: Buffer, key: Buffer, fileId: string, chunkSize: number, sizes: readonly number[] = []): Promise<Buffer> {
  const out: Buffer[] = [];
  await pipeline(Readable.from(piecesOf(plain, sizes)), createEncryptStream(key, fileId, chunkSize), collector(out));
  return Buffer.concat(out);
}

/** Decrypts, returning everything the decryptor emitted before it finished or failed. */
export async function decryptCollect(cipher: Buffer, key: Buffer, fileId: string, sizes: readonly number[] = []): Promise<{ plain: Buffer; error: unknown }> {
  const out: Buffer[] = [];
  try {
    await pipeline(Readable.from(piecesOf(cipher, sizes)), createDecryptStream(key, fileId), collector(out));
    return { plain: Buffer.concat(out), error: undefined };
  } catch (error) {
    return { plain: Buffer.concat(out), error };
  }
}

export function collector(out: Buffer[]): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, callback) {
      // Copy: a producer may reuse its buffers once the write completes.
      out.push(Buffer.from(chunk));
      callback();
    },
  });
}
