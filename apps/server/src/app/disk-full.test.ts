import { PassThrough } from 'node:stream';
import { sql } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ADMIN_PASSWORD, Client, createTestApp, dialects, seedAgency, type TestApp } from '../test/harness';
import { draftFixture, pdfBytes } from '../test/draft-fixture';

// Issue 12, "disk full": a write refused for lack of space — by the file system (ENOSPC), by
// SQLite (SQLITE_FULL) or by PostgreSQL (SQLSTATE 53100) — is a 507 with its own code and a
// Vietnamese message, the log names ENOSPC, reads go on, and the health endpoint reports it until
// a write succeeds or a free-space check finds room.

const DIALECTS = await dialects();

function logCapture() {
  const stream = new PassThrough();
  const lines: string[] = [];
  stream.on('data', (b: Buffer) => lines.push(b.toString('utf8')));
  return { stream, text: () => lines.join('') };
}

const enospc = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });

describe.each(DIALECTS)('disk full on %s', (dialect) => {
  let t: TestApp;
  afterEach(async () => {
    vi.restoreAllMocks();
    await t?.cleanup();
  });

  async function start() {
    const log = logCapture();
    t = await createTestApp(dialect, { logStream: log.stream });
    const { unitId } = await seedAgency(t.deps);
    const admin = new Client(t.app, t.clock);
    await admin.signIn('admin', ADMIN_PASSWORD);
    let n = 0;
    const newUnit = () => admin.post('/api/units', { name: `Phòng thử nghiệm số ${++n}`, code: `P${n}`, parentId: unitId });
    const health = async () => (await t.app.inject({ method: 'GET', url: '/api/health' })).json();
    return { log, admin, newUnit, health, unitId };
  }

  /** The database refuses writes for lack of space, as it would on a full disk. */
  async function fillDatabase(): Promise<() => Promise<void>> {
    if (dialect === 'sqlite') {
      // A real SQLITE_FULL: the file may not grow by one more page.
      const raw = t.deps.dbh.sqlite!;
      raw.pragma(`max_page_count = ${raw.pragma('page_count', { simple: true }) as number}`);
      return async () => void raw.pragma('max_page_count = 1073741823');
    }
    // PostgreSQL's own disk_full (SQLSTATE 53100), raised by the server on every new row.
    await sql`create function refuse_for_space() returns trigger language plpgsql as $$
      begin raise exception 'could not extend file: No space left on device' using errcode = 'disk_full'; end $$`.execute(t.deps.dbh.db);
    await sql`create trigger refuse_for_space before insert on audit_events for each row execute function refuse_for_space()`.execute(t.deps.dbh.db);
    return async () => void (await sql`drop trigger refuse_for_space on audit_events`.execute(t.deps.dbh.db));
  }

  it('a database write refused for lack of space is a 507 naming ENOSPC; reads go on; health reports it until a write succeeds', async () => {
    const s = await start();
    const free = vi.spyOn(t.deps.storage, 'freeBytes').mockResolvedValue(0);
    const unitsBefore = (await s.admin.get('/api/units')).body;
    const lift = await fillDatabase();
    // Rows are small: a page may still have room for a few; the file fills within a few pages.
    let res = await s.newUnit();
    for (let i = 0; i < 200 && res.statusCode === 200; i++) res = await s.newUnit();
    expect(res.statusCode, res.body).toBe(507);
    expect(res.json().error).toMatchObject({ code: 'storage.disk_full', message: expect.stringMatching(/hết dung lượng/) });
    expect(s.log.text()).toMatch(/no space left on device \(ENOSPC\)/);
    expect(s.log.text()).not.toMatch(/cannot rollback/);
    expect(s.log.text()).toContain(dialect === 'sqlite' ? 'SQLITE_FULL' : 'PG_53100');

    // Reads keep working, and the refused write changed nothing.
    const list = await s.admin.get('/api/units');
    expect(list.statusCode).toBe(200);
    if (dialect === 'postgres') expect(list.body).toBe(unitsBefore);
    const h = await s.health();
    expect(h).toMatchObject({ status: 'ok', storage: 'full', fullSince: t.clock.now().toISOString(), fullLastSeen: t.clock.now().toISOString() });

    await lift();
    expect((await s.health()).storage).toBe('full');
    expect((await s.newUnit()).statusCode).toBe(200);
    expect(await s.health()).toEqual({ status: 'ok', db: dialect, storage: 'ok' });
    expect(free).toHaveBeenCalled();
  });

  it('a file write refused with ENOSPC is a 507; a free-space check that finds room ends the condition', async () => {
    const s = await start();
    const { upload } = await draftFixture(t, 'Kế hoạch tiếp đoàn năm 2027', s.unitId);
    const free = vi.spyOn(t.deps.storage, 'freeBytes').mockResolvedValue(1024);
    vi.spyOn(t.deps.blobs, 'write').mockRejectedValueOnce(enospc());
    const res = await upload('Phụ lục.pdf', pdfBytes(4096));
    expect(res.statusCode, res.body).toBe(507);
    expect(res.json().error.code).toBe('storage.disk_full');
    expect(s.log.text()).toMatch(/no space left on device \(ENOSPC\)/);
    expect((await s.health()).storage).toBe('full');
    free.mockResolvedValue(t.deps.config.maxUploadMb * 1024 * 1024);
    expect((await s.health()).storage).toBe('ok');
    // And the next upload goes through.
    expect((await upload('Phụ lục.pdf', pdfBytes(4096))).statusCode).toBe(200);
  });
});
