import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestRuntime, dialects, type TestRuntime } from '../../test/harness';
import { blobDirFor } from '../data-paths';
import { sweepAtStart } from './sweep';

// Issue 12, point 14: crash leftovers in the blob store — `.part` files and files without a row —
// are removed at start once older than the grace period, and only a count is logged.

const DIALECTS = await dialects();
const HOUR = 3_600_000;

describe.each(DIALECTS)('the start-up sweep on %s', (dialect) => {
  let t: TestRuntime;
  afterEach(async () => t?.cleanup());

  const age = (file: string, ms: number) => {
    const when = new Date(Date.now() - ms);
    fs.utimesSync(file, when, when);
  };

  it('removes stale .part files and files without a row, keeps the rest, logs counts only', async () => {
    t = await createTestRuntime(dialect);
    const { blobs, dbh } = t.deps;
    const bytes = () => Readable.from([Buffer.from('nội dung mật của tệp')]);
    const kept = await dbh.db.transaction().execute((tx) => blobs.put(tx, bytes()));
    const orphan = await blobs.write(bytes()); // written, never registered (its transaction failed)
    const freshOrphan = await blobs.write(bytes()); // an upload registering right now
    const stalePart = `${blobs.pathFor('staleupload01')}.part`;
    const freshPart = `${blobs.pathFor('liveupload01')}.part`;
    const stray = path.join(blobDirFor(t.deps.config), 'GHI-CHU của quản trị.txt');
    for (const f of [stalePart, freshPart, stray]) {
      fs.mkdirSync(path.dirname(f), { recursive: true });
      fs.writeFileSync(f, 'x');
    }
    for (const f of [blobs.pathFor(kept.id), blobs.pathFor(orphan.id), stalePart, stray]) age(f, 2 * HOUR);

    const lines: { obj: object; msg: string }[] = [];
    const r = await sweepAtStart(t.deps, { info: (obj, msg) => lines.push({ obj, msg }) });

    expect(r).toEqual({ partFiles: 1, orphanBlobs: 1 });
    const exists = (f: string) => fs.existsSync(f);
    expect([stalePart, blobs.pathFor(orphan.id)].map(exists)).toEqual([false, false]);
    expect([blobs.pathFor(kept.id), blobs.pathFor(freshOrphan.id), freshPart, stray].map(exists)).toEqual([true, true, true, true]);
    expect(lines).toEqual([{ obj: { partFiles: 1, orphanBlobs: 1, graceMinutes: 60 }, msg: expect.any(String) }]);
    // The kept blob still reads back.
    const { stream } = await blobs.open(dbh.db, kept.id);
    expect(Buffer.concat(await stream.toArray()).toString()).toBe('nội dung mật của tệp');
  });

  it('the grace period comes from KHOMAT_LEFTOVER_GRACE_MINUTES', async () => {
    t = await createTestRuntime(dialect, { config: { leftoverGraceMinutes: 180 } });
    const orphan = await t.deps.blobs.write(Readable.from([Buffer.from('x')]));
    age(t.deps.blobs.pathFor(orphan.id), 2 * HOUR);
    const quiet = { info: () => undefined };
    expect(await sweepAtStart(t.deps, quiet)).toEqual({ partFiles: 0, orphanBlobs: 0 });
    age(t.deps.blobs.pathFor(orphan.id), 4 * HOUR);
    expect(await sweepAtStart(t.deps, quiet)).toEqual({ partFiles: 0, orphanBlobs: 1 });
  });

  it('an empty or missing blob directory is nothing to sweep', async () => {
    t = await createTestRuntime(dialect);
    expect(await sweepAtStart(t.deps, { info: () => undefined })).toEqual({ partFiles: 0, orphanBlobs: 0 });
  });
});
