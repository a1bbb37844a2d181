import { afterEach, describe, expect, it } from 'vitest';
import { Client, createTestApp, databaseFingerprint, dialects, seedAgency, seedUser, USER_PASSWORD, type TestApp } from '../../test/harness';
import { checkCatalogRecord, headerKey, parseDate, parseLevel } from './catalog.rules';

describe('catalogue rules', () => {
  it('reads Vietnamese headings, levels and dates', () => {
    expect(headerKey('Số quyết định')).toBe('decisionNumber');
    expect(headerKey('ĐỘ MẬT')).toBe('level');
    expect(headerKey('Thời hạn bảo vệ (năm)')).toBe('shorterPeriodYears');
    expect(parseLevel('Tối mật')).toBe('SECRET');
    expect(parseLevel('TUYỆT MẬT')).toBe('TOP_SECRET');
    expect(parseLevel('mật')).toBe('CONFIDENTIAL');
    expect(parseLevel('bí mật')).toBeUndefined();
    expect(parseDate('6/1/2026')).toBe('2026-01-06');
    expect(parseDate('2026-02-29')).toBeUndefined();
    expect(parseDate('31/02/2026')).toBeUndefined();
  });
  it('names every problem of a line', () => {
    const r = checkCatalogRecord(
      { decisionNumber: '', decisionDate: 'hôm qua', field: 'Ngoại giao', article: '1', description: 'x', level: 'Mật', shorterPeriodYears: '10' },
      7,
    );
    expect(r.row).toBeUndefined();
    expect(r.problems.map((p) => p.column)).toEqual(['decisionNumber', 'decisionDate', 'shorterPeriodYears']);
    expect(r.problems.every((p) => p.line === 7)).toBe(true);
  });
});

const DIALECTS = await dialects();

const CSV = `Số quyết định,Ngày quyết định,Lĩnh vực,Điều,Khoản,Điểm,Nội dung,Độ mật,Thời hạn bảo vệ (năm)
19/QĐ-TTg,06/01/2026,Ngoại giao,1,1,a,"Phương án đàm phán về phân định biên giới trên đất liền chưa công bố",Tuyệt mật,
19/QĐ-TTg,06/01/2026,Ngoại giao,1,2,,"Kế hoạch đón tiếp đoàn cấp cao nước ngoài, chưa công bố",Mật,5
19/QĐ-TTg,06/01/2026,Ngoại giao,2,1,b,Báo cáo đánh giá quan hệ với đối tác chiến lược,Tối mật,
`;

describe.each(DIALECTS)('catalogue over HTTP on %s', (dialect) => {
  let t: TestApp;
  afterEach(async () => t?.cleanup());

  async function start() {
    t = await createTestApp(dialect);
    const { unitId } = await seedAgency(t.deps);
    await seedUser(t.deps, { username: 'baomat', unitId, roles: ['security_officer'], clearance: 'TOP_SECRET' });
    await seedUser(t.deps, { username: 'canbo', unitId, roles: ['officer'], clearance: 'SECRET' });
    const so = new Client(t.app, t.clock);
    await so.signIn('baomat', USER_PASSWORD);
    return so;
  }

  it('imports a CSV with Vietnamese headings and finds items without diacritics', async () => {
    const so = await start();
    const res = await so.post('/api/catalog/import', { format: 'csv', content: CSV });
    expect(res.json()).toEqual({ imported: 3 });
    const officer = new Client(t.app, t.clock);
    await officer.signIn('canbo', USER_PASSWORD);
    const found = (await officer.get(`/api/catalog?q=${encodeURIComponent('phan dinh bien gioi')}`)).json();
    expect(found.total).toBe(1);
    expect(found.items[0]).toMatchObject({ level: 'TOP_SECRET', reference: 'Điều 1, khoản 1, điểm a — 19/QĐ-TTg', decisionDate: '2026-01-06' });
    expect((await officer.get(`/api/catalog?q=${encodeURIComponent('ĐOÀN CẤP CAO')}`)).json().items[0].shorterPeriodYears).toBe(5);
    expect((await officer.get('/api/catalog?level=SECRET')).json().total).toBe(1);
    expect((await officer.get('/api/catalog/fields')).json().items).toEqual(['Ngoại giao']);
    // The same file again: every line is already there, nothing changes.
    const again = await so.post('/api/catalog/import', { format: 'csv', content: CSV });
    expect(again.statusCode).toBe(422);
    expect(again.json().error.details.problems.map((p: { line: number }) => p.line)).toEqual([2, 3, 4]);
  });

  it('imports nothing from a file with errors and reports them by line', async () => {
    const so = await start();
    const before = await databaseFingerprint(t.deps);
    const bad =
      CSV +
      '20/QĐ-TTg,32/01/2026,Ngoại giao,3,,,Nội dung,Siêu mật,\n19/QĐ-TTg,06/01/2026,Ngoại giao,1,1,a,"Phương án đàm phán về phân định biên giới trên đất liền chưa công bố",Tuyệt mật,\n';
    const res = await so.post('/api/catalog/import', { format: 'csv', content: bad });
    expect(res.statusCode).toBe(422);
    const problems = res.json().error.details.problems as { line: number; column?: string }[];
    expect(problems).toEqual([
      expect.objectContaining({ line: 5, column: 'decisionDate' }),
      expect.objectContaining({ line: 5, column: 'level' }),
      expect.objectContaining({ line: 6, message: 'Trùng với dòng 2.' }),
    ]);
    expect(await databaseFingerprint(t.deps)).toBe(before);
    const missingColumn = await so.post('/api/catalog/import', { format: 'csv', content: 'Số quyết định,Nội dung\nx,y\n' });
    expect(missingColumn.json().error.code).toBe('catalog.import_invalid');
    expect((await so.post('/api/catalog/import', { format: 'json', content: '{"a":1}' })).json().error.code).toBe('catalog.import_unreadable');
  });

  it('imports JSON; sample rows can be removed', async () => {
    const so = await start();
    const json = JSON.stringify([
      { decisionNumber: 'MẪU-01', decisionDate: '2026-01-01', field: 'Ngoại giao', article: '1', description: 'Dữ liệu mẫu', level: 'CONFIDENTIAL' },
    ]);
    expect((await so.post('/api/catalog/import', { format: 'json', content: json, sample: true })).json()).toEqual({ imported: 1 });
    expect((await so.post('/api/catalog/import', { format: 'csv', content: CSV })).json()).toEqual({ imported: 3 });
    expect((await so.post('/api/catalog/remove-sample')).json()).toEqual({ removed: 1 });
    expect((await so.get('/api/catalog')).json().total).toBe(3);
  });

  it('reads one entry as the list shows it; an unknown id is a Vietnamese 404', async () => {
    const so = await start();
    expect((await so.post('/api/catalog/import', { format: 'csv', content: CSV })).json()).toEqual({ imported: 3 });
    const officer = new Client(t.app, t.clock);
    await officer.signIn('canbo', USER_PASSWORD);
    const listed = (await officer.get('/api/catalog?level=TOP_SECRET')).json().items[0];
    const one = await officer.get(`/api/catalog/${listed.id}`);
    expect(one.statusCode).toBe(200);
    expect(one.json()).toEqual(listed);
    const missing = await officer.get('/api/catalog/khong-co-muc-nay');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error).toMatchObject({ code: 'catalog.not_found', message: 'Không tìm thấy mục trong danh mục bí mật nhà nước.' });
    expect((await officer.get('/api/catalog/a%20b')).statusCode).toBe(400);
    // The static route still wins over the id.
    expect((await officer.get('/api/catalog/fields')).json().items).toEqual(['Ngoại giao']);
  });
});
