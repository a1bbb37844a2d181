import { afterEach, describe, expect, it } from 'vitest';
import { Client, createTestApp, dialects, seedAgency, seedUser, USER_PASSWORD, type TestApp } from '../../test/harness';
import { auditExportFileName, CSV_TIME_HEADER, vietnamDateTime } from './audit.usecases';

// The audit trail is read in Vietnam (issue 12 point 11): the export names the zone of its times
// and writes them in Vietnam time, and the file is dated by the day in Vietnam — at 01:30 on
// 1 April in Hà Nội it is still 31 March in UTC.

const DIALECTS = await dialects();

describe('times of the audit export', () => {
  it('writes an instant in Vietnam time, across the UTC day boundary', () => {
    expect(vietnamDateTime('2026-03-31T18:30:05.123Z')).toBe('01/04/2026 01:30:05');
    expect(vietnamDateTime('2026-12-31T16:59:59.999Z')).toBe('31/12/2026 23:59:59');
    expect(vietnamDateTime('2026-12-31T17:00:00.000Z')).toBe('01/01/2027 00:00:00');
    expect(auditExportFileName(new Date('2026-03-31T18:30:00Z'))).toBe('nhat-ky-khomat-2026-04-01.csv');
    expect(auditExportFileName(new Date('2026-04-01T16:59:00Z'))).toBe('nhat-ky-khomat-2026-04-01.csv');
  });
});

describe.each(DIALECTS)('audit CSV export on %s', (dialect) => {
  let t: TestApp;
  afterEach(async () => t?.cleanup());

  it('names the zone in its header, writes Vietnam time and dates the file by the Vietnam day', async () => {
    t = await createTestApp(dialect);
    const { unitId } = await seedAgency(t.deps);
    await seedUser(t.deps, { username: 'baomat', unitId, roles: ['security_officer'], clearance: 'TOP_SECRET' });
    // 18:30 UTC on 31 March is 01:30 on 1 April in Vietnam.
    t.clock.current = new Date('2026-03-31T18:30:00.000Z');
    const so = new Client(t.app, t.clock);
    await so.signIn('baomat', USER_PASSWORD);
    const res = await so.get('/api/audit/export.csv');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toBe('attachment; filename="nhat-ky-khomat-2026-04-01.csv"');
    const [header, ...rows] = res.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(CSV_TIME_HEADER).toBe('Thời điểm (giờ Việt Nam, UTC+07:00)');
    expect(header!.startsWith(`STT,"${CSV_TIME_HEADER}",`)).toBe(true);
    const login = rows.find((r) => r.includes(',auth.login,'));
    expect(login, rows.join('\n')).toBeDefined();
    expect(login!.split(',')[1]).toMatch(/^01\/04\/2026 01:3\d:\d\d$/);
    expect(res.body).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
  });
});
