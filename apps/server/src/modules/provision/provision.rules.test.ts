import { LEVELS, type Clearance, type Level } from '@khomat/policy';
import { describe, expect, it } from 'vitest';
import type { Holder } from '../copies/copies.rules';
import { checkSender, dateWords, EXECUTE_RULES, letterOf, type ExecuteFacts, type LetterFacts } from './provision.rules';

// The provision rules as tables: every sender × copy × quantity case, and the letter's content for
// approvals and refusals, in the agency or outside it.

const CLERK = { id: 'u-clerk', unitId: 'unit-a', roles: ['clerk'], clearance: 'SECRET' as Clearance };
const atRest = (holder: Holder) => ({ holder, status: 'held' });
const base: ExecuteFacts = {
  type: 'provide_domestic',
  level: 'SECRET',
  actor: CLERK,
  copies: [atRest({ kind: 'unit', id: 'unit-a' })],
  approvedQuantity: null,
};
const withF = (over: Partial<ExecuteFacts>): ExecuteFacts => ({ ...base, ...over });

describe('who sends the copies (checkSender)', () => {
  it.each<[string, ExecuteFacts, string]>([
    ['the văn thư of the keeping unit', base, 'ok'],
    ['the văn thư holding it in person', withF({ copies: [atRest({ kind: 'user', id: 'u-clerk' })] }), 'ok'],
    ['a foreign provision, same rule', withF({ type: 'provide_foreign' }), 'ok'],
    [
      'as many copies as approved',
      withF({ copies: [atRest({ kind: 'unit', id: 'unit-a' }), atRest({ kind: 'unit', id: 'unit-a' })], approvedQuantity: 2 }),
      'ok',
    ],
    ['a take-out request', withF({ type: 'take_out_domestic' }), 'provision.not_provision'],
    ['a copy request', withF({ type: 'copy' }), 'provision.not_provision'],
    ['no copies named', withF({ copies: [] }), 'provision.no_copies'],
    [
      'more copies than approved',
      withF({ copies: [atRest({ kind: 'unit', id: 'unit-a' }), atRest({ kind: 'unit', id: 'unit-a' })], approvedQuantity: 1 }),
      'provision.quantity_exceeded',
    ],
    ['the head of the keeping unit (not a văn thư)', withF({ actor: { ...CLERK, roles: ['head'] } }), 'provision.not_clerk'],
    ['the officer holding it', withF({ actor: { ...CLERK, roles: ['officer'] }, copies: [atRest({ kind: 'user', id: 'u-clerk' })] }), 'provision.not_clerk'],
    ['a văn thư cleared below the level', withF({ actor: { ...CLERK, clearance: 'CONFIDENTIAL' } }), 'provision.clearance_below_level'],
    ['a copy in transit', withF({ copies: [{ holder: { kind: 'unit', id: 'unit-a' }, status: 'in_transit' }] }), 'provision.copy_unavailable'],
    ['a copy taken out', withF({ copies: [{ holder: { kind: 'user', id: 'u-x' }, status: 'taken_out' }] }), 'provision.copy_unavailable'],
    ['a lost copy', withF({ copies: [{ holder: { kind: 'unit', id: 'unit-a' }, status: 'lost' }] }), 'provision.copy_unavailable'],
    ['a destroyed copy', withF({ copies: [{ holder: { kind: 'unit', id: 'unit-a' }, status: 'destroyed' }] }), 'provision.copy_unavailable'],
    ['a copy kept by another unit', withF({ copies: [atRest({ kind: 'unit', id: 'unit-b' })] }), 'provision.not_keeper'],
    ['a copy held by another person', withF({ copies: [atRest({ kind: 'user', id: 'u-other' })] }), 'provision.not_keeper'],
    [
      'one of two copies kept elsewhere',
      withF({ copies: [atRest({ kind: 'unit', id: 'unit-a' }), atRest({ kind: 'unit', id: 'unit-b' })] }),
      'provision.not_keeper',
    ],
    ['a copy already outside', withF({ copies: [atRest({ kind: 'outside', id: 'Bộ Ngoại giao' })] }), 'provision.not_keeper'],
  ])('%s → %s', (_label, f, expected) => {
    const r = checkSender(f);
    expect(r.ok ? 'ok' : r.code).toBe(expected);
  });

  it('clearance: a văn thư sends exactly the levels their clearance covers', () => {
    const covers: Record<Clearance, readonly Level[]> = { NONE: [], CONFIDENTIAL: ['CONFIDENTIAL'], SECRET: ['CONFIDENTIAL', 'SECRET'], TOP_SECRET: LEVELS };
    for (const clearance of Object.keys(covers) as Clearance[])
      for (const level of LEVELS)
        expect([clearance, level, checkSender(withF({ level, actor: { ...CLERK, clearance } })).ok]).toEqual([
          clearance,
          level,
          covers[clearance].includes(level),
        ]);
  });

  it('every rule of the table refuses with its own code', () => {
    expect(new Set(EXECUTE_RULES.map((r) => r.code)).size).toBe(EXECUTE_RULES.length);
  });
});

describe('the answer letter (letterOf)', () => {
  const facts: LetterFacts = {
    type: 'provide_domestic',
    agency: { name: 'Sở Ngoại vụ tỉnh Minh Sơn', code: 'SNV', parentBody: 'UBND tỉnh Minh Sơn' },
    reference: { number: '7/SNV-BM', date: '2026-03-05' },
    request: {
      submittedOn: '2026-03-02',
      purpose: 'Phối hợp công tác',
      requestingBody: 'Sở Tư pháp',
      representative: 'Nguyễn Thị Hạnh',
      representativePosition: 'Phó Giám đốc',
      idDocument: 'CCCD 001',
      nationality: null,
    },
    item: { docType: 'Kế hoạch', numberSymbol: '12/KH-SNV', documentDate: '2026-03-01', level: 'SECRET' },
    copyLabels: ['Bản số 3/3'],
    decision: { outcome: 'approved', deadline: '2026-03-20', quantity: 1 },
    signer: { name: 'Lê Hoàng Sơn', position: 'Giám đốc' },
    outside: null,
  };

  it('an approval names the body, what is provided by number, date and level, the purpose, the deadline, the commitment and the decider', () => {
    const l = letterOf(facts);
    expect(l.agencyLines).toEqual(['UBND TỈNH MINH SƠN', 'SỞ NGOẠI VỤ TỈNH MINH SƠN']);
    expect([l.numberLine, l.placeDate, l.subject]).toEqual(['Số: 7/SNV-BM', 'ngày 05 tháng 03 năm 2026', 'V/v cung cấp, chuyển giao bí mật nhà nước']);
    expect(l.to).toEqual(['Sở Tư pháp', '(Nguyễn Thị Hạnh, Phó Giám đốc)']);
    const body = l.paragraphs.join('\n');
    expect(body).toContain(
      'Xét văn bản đề nghị cung cấp, chuyển giao bí mật nhà nước ngày 02/03/2026 của Sở Tư pháp (người đại diện: Nguyễn Thị Hạnh, chức vụ: Phó Giám đốc, giấy tờ tùy thân: CCCD 001)',
    );
    expect(body).toContain(
      'Sở Ngoại vụ tỉnh Minh Sơn đồng ý cung cấp, chuyển giao cho Sở Tư pháp: Kế hoạch số 12/KH-SNV ngày 01/03/2026, độ Tối mật (Bản số 3/3).',
    );
    expect(body).toContain('Mục đích sử dụng: Phối hợp công tác.');
    expect(body).toContain('đến hết ngày 20/03/2026');
    expect(body).toContain('cam kết bảo vệ bí mật nhà nước');
    expect(l.signer).toEqual({ lines: ['GIÁM ĐỐC'], name: 'Lê Hoàng Sơn' });
    // A deputy under a delegation signs for the head.
    expect(letterOf({ ...facts, signer: { name: 'Phạm Văn Phó', position: 'Phó Giám đốc', onBehalfOf: 'Giám đốc' } }).signer).toEqual({
      lines: ['KT. GIÁM ĐỐC', 'PHÓ GIÁM ĐỐC'],
      name: 'Phạm Văn Phó',
    });
  });

  it('a refusal gives its reason and provides nothing', () => {
    const l = letterOf({ ...facts, decision: { outcome: 'refused', reason: 'Chưa cần thiết.' } });
    const body = l.paragraphs.join('\n');
    expect(l.subject).toBe('V/v trả lời đề nghị cung cấp, chuyển giao bí mật nhà nước');
    expect(body).toContain('Sở Ngoại vụ tỉnh Minh Sơn không đồng ý cung cấp, chuyển giao Kế hoạch số 12/KH-SNV ngày 01/03/2026, độ Tối mật.');
    expect(body).toContain('Lý do: Chưa cần thiết.');
    expect(body).not.toContain('Mục đích sử dụng');
  });

  it('a foreign party: nationality and passport; an outside decision: cited, its signer signs', () => {
    const outside = { authority: 'Chủ tịch UBND tỉnh Minh Sơn', number: '125/QĐ-UBND', date: '2026-03-04', signer: 'Nguyễn Văn Chính' };
    const l = letterOf({
      ...facts,
      type: 'provide_foreign',
      request: { ...facts.request, nationality: 'X', idDocument: 'P1234567' },
      reference: { number: outside.number, date: outside.date },
      outside,
    });
    const body = l.paragraphs.join('\n');
    expect(body).toContain('quốc tịch: X, hộ chiếu: P1234567');
    expect(body).toContain('Theo quyết định của Chủ tịch UBND tỉnh Minh Sơn (văn bản số 125/QĐ-UBND ngày 04/03/2026);');
    expect(l.numberLine).toBe('Số: 125/QĐ-UBND');
    expect(l.signer).toEqual({ lines: ['CHỦ TỊCH UBND TỈNH MINH SƠN'], name: 'Nguyễn Văn Chính' });
  });

  it('dates read as an administrative letter writes them', () => {
    expect(dateWords('2026-12-06')).toBe('ngày 06 tháng 12 năm 2026');
  });
});
