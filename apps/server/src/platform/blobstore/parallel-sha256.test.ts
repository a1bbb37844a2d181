import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ParallelSha256 } from './parallel-sha256';

const MiB = 1024 * 1024;
const plain = (bytes: Uint8Array) => crypto.createHash('sha256').update(bytes).digest('hex');

/** Feeds `data` in pieces of the given sizes, cycling through them. */
async function hashInPieces(data: Uint8Array, sizes: number[]): Promise<string> {
  const h = new ParallelSha256();
  let at = 0;
  for (let i = 0; at < data.length; i++) {
    const n = sizes[i % sizes.length] as number;
    h.update(data.subarray(at, at + n));
    at += n;
    if (h.saturated) await h.drained();
  }
  return h.digest();
}

describe('ParallelSha256', () => {
  it.each([
    ['nothing', 0, [1]],
    ['a few bytes', 3, [1]],
    ['just under one staging buffer', MiB - 1, [65_536]],
    ['exactly one staging buffer', MiB, [MiB]],
    ['one byte over', MiB + 1, [MiB, 1]],
    ['many buffers in odd pieces', 13 * MiB + 777, [65_536, 1, 3 * MiB + 5, 4_093]],
  ])('gives the SHA-256 of %s', async (_name, size, sizes) => {
    const data = crypto.randomBytes(size);
    expect(await hashInPieces(data, sizes)).toBe(plain(data));
  });

  it('lets the caller reuse its buffer at once', async () => {
    const a = crypto.randomBytes(3 * MiB);
    const b = crypto.randomBytes(3 * MiB);
    const h = new ParallelSha256();
    const buf = Buffer.from(a);
    h.update(buf);
    b.copy(buf); // overwritten right after update returned
    h.update(buf);
    expect(await h.digest()).toBe(plain(Buffer.concat([a, b])));
  });

  it('keeps interleaved sessions apart, and a discarded one does not disturb the others', async () => {
    const a = crypto.randomBytes(5 * MiB + 11);
    const b = crypto.randomBytes(4 * MiB + 3);
    const ha = new ParallelSha256();
    const hb = new ParallelSha256();
    const hc = new ParallelSha256();
    for (let at = 0; at < Math.max(a.length, b.length); at += 300_000) {
      ha.update(a.subarray(at, at + 300_000));
      hb.update(b.subarray(at, at + 300_000));
      hc.update(a.subarray(at, at + 300_000));
    }
    hc.discard();
    const [da, db] = await Promise.all([ha.digest(), hb.digest()]);
    expect(da).toBe(plain(a));
    expect(db).toBe(plain(b));
  });

  it('refuses a second digest and updates after it', async () => {
    const h = new ParallelSha256();
    h.update(new Uint8Array([1, 2, 3]));
    await h.digest();
    expect(() => h.update(new Uint8Array([4]))).toThrow();
    expect(() => h.digest()).toThrow();
  });
});
