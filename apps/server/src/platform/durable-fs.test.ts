import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { durableFileWriter } from './durable-fs';

const openFds = () => fs.readdirSync('/proc/self/fd').length;

describe('durableFileWriter', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });
  const file = (name: string) => {
    dir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'khomat-durable-'));
    return path.join(dir, name);
  };

  it('writes every byte in order, flushing as it goes, into a new file of mode 0600', async () => {
    const parts = Array.from({ length: 40 }, (_, i) => crypto.randomBytes(1000 + i * 37));
    const f = file('a.part');
    const fds = openFds();
    await pipeline(Readable.from(parts), durableFileWriter(f, { mode: 0o600, highWaterMark: 4096, syncEvery: 3000 }));
    expect(fs.readFileSync(f).equals(Buffer.concat(parts))).toBe(true);
    expect(fs.statSync(f).mode & 0o777).toBe(0o600);
    expect(openFds()).toBe(fds);
  });

  it('writes an empty file', async () => {
    const f = file('empty.part');
    await pipeline(Readable.from([]), durableFileWriter(f, { mode: 0o600, highWaterMark: 16, syncEvery: 1 }));
    expect(fs.readFileSync(f).length).toBe(0);
  });

  it('never opens an existing file, and leaves it as it was', async () => {
    const f = file('taken.part');
    fs.writeFileSync(f, 'earlier');
    await expect(pipeline(Readable.from([Buffer.from('later')]), durableFileWriter(f, { mode: 0o600, highWaterMark: 16, syncEvery: 1 }))).rejects.toMatchObject(
      { code: 'EEXIST' },
    );
    expect(fs.readFileSync(f, 'utf8')).toBe('earlier');
  });

  it('closes its file when the source fails halfway, a flush still running or not', async () => {
    const f = file('b.part');
    const fds = openFds();
    async function* failing() {
      for (let i = 0; i < 20; i++) yield crypto.randomBytes(2048);
      throw new Error('source broke');
    }
    const out = durableFileWriter(f, { mode: 0o600, highWaterMark: 1024, syncEvery: 1 });
    await expect(pipeline(Readable.from(failing()), out)).rejects.toThrow('source broke');
    if (!out.closed) await new Promise((resolve) => out.once('close', resolve));
    expect(openFds()).toBe(fds);
  });
});
