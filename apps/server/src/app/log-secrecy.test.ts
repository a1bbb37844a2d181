import crypto from 'node:crypto';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, dialects, type TestApp } from '../test/harness';
import { draftFixture, pdfBytes } from '../test/draft-fixture';

// Issue 12, point 15: the server's log holds no secret metadata. With every level on (trace), a
// real upload (the file name travels in the query string), a search (its words too), reading the
// item and downloading the file leave neither the file name, nor the summary, nor the search
// words in the log — only paths and ids.

const DIALECTS = await dialects();
const marker = (p: string) => `${p}${crypto.randomBytes(5).toString('hex')}`;

describe.each(DIALECTS)('the log on %s', (dialect) => {
  let t: TestApp;
  afterEach(async () => t?.cleanup());

  it('holds no file name, summary or search words, at any level', async () => {
    const stream = new PassThrough();
    const chunks: string[] = [];
    stream.on('data', (b: Buffer) => chunks.push(b.toString('utf8')));
    t = await createTestApp(dialect, { logStream: stream });
    const summaryWord = marker('trichyeu');
    const nameWord = marker('tentep');
    const queryWord = marker('tukhoa');
    const { officer, itemId, upload, signIn } = await draftFixture(t, `Kế hoạch đón đoàn ${summaryWord} năm 2027`);

    const up = await upload(`Phương án ${nameWord} bản cuối.pdf`, pdfBytes(8192));
    expect(up.statusCode, up.body).toBe(200);
    const fileId = up.json().id as string;
    expect((await officer.get(`/api/items/${itemId}/content`)).body).toContain(summaryWord);
    const got = await officer.get(`/api/items/${itemId}/attachments/${fileId}`);
    expect(got.statusCode, got.body).toBe(200);
    const reader = await signIn('baomat');
    const search = await reader.get(`/api/search?q=${encodeURIComponent(`đón đoàn ${queryWord}`)}&pageSize=5`);
    expect(search.statusCode, search.body).toBe(200);
    // A refused request logs too (bad query value echoed nowhere).
    await reader.get(`/api/search?q=${encodeURIComponent(queryWord)}&level=${encodeURIComponent(nameWord)}`);

    const log = chunks.join('');
    for (const secret of [summaryWord, nameWord, queryWord, encodeURIComponent(nameWord)]) expect(log).not.toContain(secret);
    // The log was captured, with the requests in it (by path).
    expect(log).toContain('incoming request');
    expect(log).toContain(`/api/items/${itemId}/attachments`);
    expect(log).toContain('"url":"/api/search"');
  });
});
