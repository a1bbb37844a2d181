import crypto from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors';
import {
  BLOB_HEADER_LENGTH,
  BLOB_TAG_LENGTH,
  createDecryptStream,
  createEncryptStream,
  DEFAULT_CHUNK_SIZE,
  encryptedSize,
  MAX_CHUNK_SIZE,
} from './blob-crypto';
import { decryptCollect, encryptBuffer } from './blob-test-helpers';

const KiB = 1024;
const key = crypto.randomBytes(32);
const FILE_ID = 'b7a1c2d3-0000-4000-8000-000000000001';

function expectIntegrity(error: unknown, reason?: string): void {
  expect(error).toBeInstanceOf(DomainError);
  const e = error as DomainError;
  expect(e.code).toBe('blob.integrity_failed');
  expect(e.kind).toBe('integrity');
  expect(e.message).toBe('Tệp đã bị hỏng hoặc bị sửa đổi; không thể giải mã an toàn.');
  if (reason !== undefined) expect(e.details?.['reason']).toBe(reason);
}

/**
 * The consumer may have received chunks before the damaged one (they verified), but nothing
 * that is not the original plaintext, and nothing from chunk `badChunk` on.
 */
function expectOnlyVerifiedPrefix(received: Buffer, plain: Buffer, badChunk: number, chunkSize: number): void {
  expect(received.length).toBeLessThanOrEqual(badChunk * chunkSize);
  expect(received.equals(plain.subarray(0, received.length))).toBe(true);
}

describe('blob crypto: files written before', () => {
  // Written by the earlier encryptor (one Node cipher per chunk, written piece by piece), with the
  // key 00 01 … 1f, file id 'old-format-blob' and 16-byte chunks: the format did not change, so
  // the reader must read it, and reject it under any other file id.
  const OLD_KEY = Buffer.from(Array.from({ length: 32 }, (_, i) => i));
  const OLD_PLAIN = 'Bản lưu trữ cũ: ba khúc, khóa cố định.';
  const OLD_BLOB = Buffer.from(
    'S0hPTUFULUJMT0IBAAAAEHLDGJfzC80JiKGZyaJIP3yEhiOvqaPHNOt26GKykNvpevLnUpGrX58QbH2n0XnMRJ+HD32gzpi7vKNs3IgE4AbcohVL9vRjKiRqB25xkLM1' +
      'F2/lqPrdbisfMmXR7JqVT0GN8XMAlh1qQYp1tUYh4UCrRbRK9OTFsHgerg==',
    'base64',
  );

  it('reads a blob of the earlier encryptor, and only under its own file id', async () => {
    const { plain, error } = await decryptCollect(OLD_BLOB, OLD_KEY, 'old-format-blob', [5, 40]);
    expect(error).toBeUndefined();
    expect(plain.toString('utf8')).toBe(OLD_PLAIN);
    expectIntegrity((await decryptCollect(OLD_BLOB, OLD_KEY, 'another-blob')).error, 'chunk_auth_failed');
  });
});

describe('blob crypto: round trips', () => {
  const C = DEFAULT_CHUNK_SIZE;
  const sizes = [0, 1, C - 1, C, C + 1, 2 * C + 123];
  for (const size of sizes) {
    it(`round-trips ${size} bytes at the default chunk size`, async () => {
      const plain = crypto.randomBytes(size);
      // Odd input piece sizes so chunk boundaries never line up with the input buffers.
      const cipher = await encryptBuffer(plain, key, FILE_ID, DEFAULT_CHUNK_SIZE, [7000, 65_537, 3]);
      expect(cipher.length).toBe(encryptedSize(size, DEFAULT_CHUNK_SIZE));
      expect(cipher.subarray(0, 11).toString('ascii')).toBe('KHOMAT-BLOB');
      const { plain: back, error } = await decryptCollect(cipher, key, FILE_ID, [5003, 70_001]);
      expect(error).toBeUndefined();
      expect(back.equals(plain)).toBe(true);
    });
  }

  it('reports the chunk count: an empty file is one (empty, final) chunk; an exact multiple adds no empty chunk', async () => {
    for (const [size, chunks] of [
      [0, 1],
      [1, 1],
      [64 * KiB, 1],
      [64 * KiB + 1, 2],
      [128 * KiB, 2],
    ] as const) {
      const enc = createEncryptStream(key, FILE_ID, 64 * KiB);
      const done = new Promise<void>((resolve, reject) => {
        enc
          .on('data', () => undefined)
          .on('end', resolve)
          .on('error', reject);
      });
      enc.end(Buffer.alloc(size));
      await done;
      expect(enc.chunkCount, `size ${size}`).toBe(chunks);
      expect(enc.plaintextBytes).toBe(size);
    }
  });

  it('survives being fed one byte at a time', async () => {
    const plain = crypto.randomBytes(300);
    const cipher = await encryptBuffer(plain, key, FILE_ID, 64, [1]);
    const { plain: back, error } = await decryptCollect(cipher, key, FILE_ID, [1]);
    expect(error).toBeUndefined();
    expect(back.equals(plain)).toBe(true);
  });

  it('encrypts the same plaintext differently each time (fresh nonce prefix)', async () => {
    const plain = Buffer.from('cùng một nội dung');
    const a = await encryptBuffer(plain, key, FILE_ID, 1024);
    const b = await encryptBuffer(plain, key, FILE_ID, 1024);
    expect(a.equals(b)).toBe(false);
  });

  it('rejects bad arguments as programming errors, not integrity failures', () => {
    expect(() => createEncryptStream(Buffer.alloc(16), FILE_ID)).toThrow(RangeError);
    expect(() => createEncryptStream(key, FILE_ID, 0)).toThrow(RangeError);
    expect(() => createEncryptStream(key, FILE_ID, MAX_CHUNK_SIZE + 1)).toThrow(RangeError);
    expect(() => createEncryptStream(key, '')).toThrow(RangeError);
    expect(() => createDecryptStream(Buffer.alloc(31), FILE_ID)).toThrow(RangeError);
  });
});

describe('blob crypto: tampering is detected and no unverified plaintext escapes', () => {
  // 5 chunks of 1 KiB: four full, the final one 904 bytes.
  const CS = 1024;
  const RECORD = CS + BLOB_TAG_LENGTH;
  const plain = crypto.randomBytes(4 * CS + 904);
  const chunkAt = (i: number) => BLOB_HEADER_LENGTH + i * RECORD;
  let cipher: Buffer;

  const cases: { name: string; edit: (c: Buffer) => Buffer; badChunk: number; reason?: string }[] = [
    { name: 'flipped byte in the magic', edit: (c) => flip(c, 0), badChunk: 0, reason: 'bad_magic' },
    { name: 'flipped byte in the version', edit: (c) => flip(c, 11), badChunk: 0 },
    { name: 'flipped byte in the chunk size', edit: (c) => flip(c, 15), badChunk: 0 },
    { name: 'flipped byte in the nonce prefix', edit: (c) => flip(c, 20), badChunk: 0, reason: 'chunk_auth_failed' },
    { name: 'flipped byte in the body of chunk 2', edit: (c) => flip(c, chunkAt(2) + 100), badChunk: 2, reason: 'chunk_auth_failed' },
    { name: 'flipped byte in the tag of chunk 2', edit: (c) => flip(c, chunkAt(2) + CS + 3), badChunk: 2, reason: 'chunk_auth_failed' },
    { name: 'flipped byte in the final chunk', edit: (c) => flip(c, c.length - 20), badChunk: 4, reason: 'chunk_auth_failed' },
    { name: 'flipped last byte of the final tag', edit: (c) => flip(c, c.length - 1), badChunk: 4, reason: 'chunk_auth_failed' },
    { name: 'truncated in the middle of chunk 2', edit: (c) => c.subarray(0, chunkAt(2) + 500), badChunk: 2 },
    { name: 'truncated inside the final tag', edit: (c) => c.subarray(0, c.length - 5), badChunk: 4 },
    { name: 'whole last chunk cut off', edit: (c) => c.subarray(0, chunkAt(4)), badChunk: 3 },
    { name: 'last two chunks cut off', edit: (c) => c.subarray(0, chunkAt(3)), badChunk: 2 },
    { name: 'cut right after the header', edit: (c) => c.subarray(0, BLOB_HEADER_LENGTH), badChunk: 0, reason: 'chunk_truncated' },
    { name: 'cut inside the header', edit: (c) => c.subarray(0, 10), badChunk: 0, reason: 'header_truncated' },
    { name: 'nothing at all', edit: () => Buffer.alloc(0), badChunk: 0, reason: 'header_truncated' },
    { name: 'chunks 1 and 2 swapped', edit: (c) => swap(c, chunkAt(1), chunkAt(2), RECORD), badChunk: 1, reason: 'chunk_auth_failed' },
    {
      name: 'chunk 1 dropped from the middle',
      edit: (c) => Buffer.concat([c.subarray(0, chunkAt(1)), c.subarray(chunkAt(2))]),
      badChunk: 1,
      reason: 'chunk_auth_failed',
    },
    { name: 'chunk 1 duplicated', edit: (c) => Buffer.concat([c.subarray(0, chunkAt(2)), c.subarray(chunkAt(1))]), badChunk: 2 },
    { name: 'one byte appended', edit: (c) => Buffer.concat([c, Buffer.from([0])]), badChunk: 4 },
    { name: 'a tag’s worth appended', edit: (c) => Buffer.concat([c, Buffer.alloc(16)]), badChunk: 4 },
    { name: 'a whole chunk appended', edit: (c) => Buffer.concat([c, c.subarray(chunkAt(0), chunkAt(1))]), badChunk: 4 },
    { name: 'the final chunk appended again', edit: (c) => Buffer.concat([c, c.subarray(chunkAt(4))]), badChunk: 4 },
  ];

  it.each(cases)('$name', async ({ edit, badChunk, reason }) => {
    cipher ??= await encryptBuffer(plain, key, FILE_ID, CS);
    const bad = edit(Buffer.from(cipher));
    const { plain: received, error } = await decryptCollect(bad, key, FILE_ID, [333]);
    expectIntegrity(error, reason);
    expectOnlyVerifiedPrefix(received, plain, badChunk, CS);
  });

  it('wrong data key: fails on the first chunk, emits nothing', async () => {
    cipher ??= await encryptBuffer(plain, key, FILE_ID, CS);
    const { plain: received, error } = await decryptCollect(cipher, crypto.randomBytes(32), FILE_ID);
    expectIntegrity(error, 'chunk_auth_failed');
    expect(received.length).toBe(0);
  });

  it('wrong file id: fails on the first chunk, emits nothing', async () => {
    cipher ??= await encryptBuffer(plain, key, FILE_ID, CS);
    const { plain: received, error } = await decryptCollect(cipher, key, 'another-file-id');
    expectIntegrity(error, 'chunk_auth_failed');
    expect(received.length).toBe(0);
  });

  it('the empty file is authenticated too', async () => {
    const empty = await encryptBuffer(Buffer.alloc(0), key, FILE_ID, CS);
    expect(empty.length).toBe(BLOB_HEADER_LENGTH + BLOB_TAG_LENGTH);
    expectIntegrity((await decryptCollect(flip(empty, empty.length - 1), key, FILE_ID)).error, 'chunk_auth_failed');
    expectIntegrity((await decryptCollect(empty, key, 'x-other')).error, 'chunk_auth_failed');
    // The empty file with bytes appended must not pass as the empty file.
    expectIntegrity((await decryptCollect(Buffer.concat([empty, Buffer.from('x')]), key, FILE_ID)).error);
  });

  it('at the default chunk size, a flipped byte in chunk 1 of 4 stops delivery after chunk 0', async () => {
    const big = crypto.randomBytes(3 * DEFAULT_CHUNK_SIZE + 10);
    const c = await encryptBuffer(big, key, FILE_ID, DEFAULT_CHUNK_SIZE);
    const at = BLOB_HEADER_LENGTH + (DEFAULT_CHUNK_SIZE + BLOB_TAG_LENGTH) + 12_345;
    const { plain: received, error } = await decryptCollect(flip(c, at), key, FILE_ID, [16 * KiB]);
    expectIntegrity(error, 'chunk_auth_failed');
    expectOnlyVerifiedPrefix(received, big, 1, DEFAULT_CHUNK_SIZE);
  });
});

describe('blob crypto: properties', () => {
  const sizeArb = fc.array(fc.integer({ min: 1, max: 700 }), { maxLength: 5 });

  it('decrypt(encrypt(x)) = x for any content, chunk size and input/output splitting', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 5000 }), fc.integer({ min: 1, max: 600 }), sizeArb, sizeArb, async (bytes, cs, inSizes, outSizes) => {
        const plain = Buffer.from(bytes);
        const cipher = await encryptBuffer(plain, key, FILE_ID, cs, inSizes);
        expect(cipher.length).toBe(encryptedSize(plain.length, cs));
        const { plain: back, error } = await decryptCollect(cipher, key, FILE_ID, outSizes);
        expect(error).toBeUndefined();
        expect(back.equals(plain)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('any single flipped bit anywhere is detected, and nothing from its chunk on is emitted', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 3000 }),
        fc.integer({ min: 1, max: 500 }),
        fc.nat(),
        fc.integer({ min: 0, max: 7 }),
        async (bytes, cs, where, bit) => {
          const plain = Buffer.from(bytes);
          const cipher = await encryptBuffer(plain, key, FILE_ID, cs);
          const pos = where % cipher.length;
          cipher[pos] = (cipher[pos] as number) ^ (1 << bit);
          const { plain: received, error } = await decryptCollect(cipher, key, FILE_ID, [97]);
          expectIntegrity(error);
          const badChunk = pos < BLOB_HEADER_LENGTH ? 0 : Math.floor((pos - BLOB_HEADER_LENGTH) / (cs + BLOB_TAG_LENGTH));
          expectOnlyVerifiedPrefix(received, plain, badChunk, cs);
        },
      ),
      { numRuns: 200 },
    );
  });
});

function flip(b: Buffer, at: number): Buffer {
  const c = Buffer.from(b);
  c[at] = (c[at] as number) ^ 0x01;
  return c;
}

function swap(b: Buffer, a: number, c: number, len: number): Buffer {
  const out = Buffer.from(b);
  b.copy(out, a, c, c + len);
  b.copy(out, c, a, a + len);
  return out;
}
