import { LEVELS, type Clearance, type Level } from '@khomat/policy';
import { describe, expect, it } from 'vitest';
import { checkExecution, checkExecutor, copyFileReader, registerNote, shareCopies, type ExecutionFacts, type ExecutorFacts } from './copy-execution.rules';

// The copy execution rules as tables: who carries it out (request type × role × unit × clearance),
// every refusal of one execution with the facts that cause it, how the copies are shared among the
// recipients, and who downloads a copy's file.

const clerk = (over: Partial<ExecutorFacts> = {}): ExecutorFacts => ({
  id: 'u1',
  roles: ['clerk'],
  clearance: 'SECRET',
  unitId: 'A',
  atAgency: false,
  ...over,
});

describe('checkExecutor', () => {
  const rows: [string, { type: string; actor: ExecutorFacts; level: Level }, string][] = [
    ['clerk of the item’s unit', { type: 'copy', actor: clerk(), level: 'SECRET' }, 'ok'],
    ['clerk of the agency, item of another unit', { type: 'photograph', actor: clerk({ unitId: 'R', atAgency: true }), level: 'SECRET' }, 'ok'],
    ['extract, clerk of the unit', { type: 'extract', actor: clerk(), level: 'CONFIDENTIAL' }, 'ok'],
    ['clerk of another unit', { type: 'copy', actor: clerk({ unitId: 'B' }), level: 'SECRET' }, 'copy_execution.not_keeper_unit'],
    ['officer of the unit', { type: 'copy', actor: clerk({ roles: ['officer'] }), level: 'SECRET' }, 'copy_execution.not_clerk'],
    ['head of the unit', { type: 'copy', actor: clerk({ roles: ['head'] }), level: 'SECRET' }, 'copy_execution.not_clerk'],
    [
      'security officer of the agency',
      { type: 'copy', actor: clerk({ roles: ['security_officer'], unitId: 'R', atAgency: true }), level: 'SECRET' },
      'copy_execution.not_clerk',
    ],
    ['clerk below the level', { type: 'copy', actor: clerk({ clearance: 'CONFIDENTIAL' }), level: 'SECRET' }, 'copy_execution.clearance_below_level'],
    ['clerk cleared for nothing', { type: 'copy', actor: clerk({ clearance: 'NONE' }), level: 'CONFIDENTIAL' }, 'copy_execution.clearance_below_level'],
    ['a take-out request', { type: 'take_out_domestic', actor: clerk(), level: 'SECRET' }, 'copy_execution.not_copying'],
    ['a provision request', { type: 'provide_domestic', actor: clerk(), level: 'SECRET' }, 'copy_execution.not_copying'],
  ];
  it.each(rows)('%s', (_label, f, expected) => {
    const r = checkExecutor({ ...f, itemUnitId: 'A' });
    expect(r.ok ? 'ok' : r.code).toBe(expected);
  });

  it('clearance × level: allowed exactly when the clearance covers the level', () => {
    const clearances: Clearance[] = ['NONE', ...LEVELS];
    for (const c of clearances)
      for (const level of LEVELS) {
        const ok = checkExecutor({ type: 'copy', actor: clerk({ clearance: c }), itemUnitId: 'A', level }).ok;
        expect([c, level, ok]).toEqual([c, level, c !== 'NONE' && LEVELS.indexOf(c) >= LEVELS.indexOf(level)]);
      }
  });
});

const facts = (over: Partial<Omit<ExecutionFacts, 'input'>> & { input?: Partial<ExecutionFacts['input']> } = {}): ExecutionFacts => ({
  type: 'copy',
  item: { level: 'SECRET', copyAllowed: true },
  requestedForm: 'sao_y',
  approved: { quantity: 2, recipients: 2 },
  ...over,
  input: {
    form: 'sao_y',
    quantity: 2,
    equipment: 'Máy photocopy Canon iR2525 (không kết nối mạng)',
    spoiled: 0,
    spoiledNote: null,
    partLevel: null,
    ...over.input,
  },
});

describe('checkExecution', () => {
  const rows: [string, ExecutionFacts, string][] = [
    ['sao y as requested', facts(), 'ok'],
    ['sao lục as requested', facts({ requestedForm: 'sao_luc', input: { form: 'sao_luc' } }), 'ok'],
    ['photograph', facts({ type: 'photograph', requestedForm: null, input: { form: 'chup' } }), 'ok'],
    ['extract at a lower level', facts({ type: 'extract', requestedForm: null, input: { form: 'trich_sao', partLevel: 'CONFIDENTIAL' } }), 'ok'],
    ['extract at the same level', facts({ type: 'extract', requestedForm: null, input: { form: 'trich_sao', partLevel: 'SECRET' } }), 'ok'],
    ['two spoiled with a note', facts({ input: { spoiled: 2, spoiledNote: 'Kẹt giấy' } }), 'ok'],
    ['item marked not to be copied', facts({ item: { level: 'SECRET', copyAllowed: false } }), 'copy_execution.copy_forbidden'],
    ['sao lục for a sao y request', facts({ input: { form: 'sao_luc' } }), 'copy_execution.form_mismatch'],
    ['chụp for a copy request', facts({ input: { form: 'chup' } }), 'copy_execution.form_mismatch'],
    ['sao y for a photograph request', facts({ type: 'photograph', requestedForm: null }), 'copy_execution.form_mismatch'],
    ['sao y for an extract request', facts({ type: 'extract', requestedForm: null, input: { partLevel: 'SECRET' } }), 'copy_execution.form_mismatch'],
    ['one copy more than approved', facts({ input: { quantity: 3 } }), 'copy_execution.quantity_mismatch'],
    ['one copy fewer than approved', facts({ input: { quantity: 1 } }), 'copy_execution.quantity_mismatch'],
    ['approval without a quantity', facts({ approved: { quantity: null, recipients: 1 } }), 'copy_execution.quantity_mismatch'],
    ['no equipment', facts({ input: { equipment: '   ' } }), 'copy_execution.equipment_required'],
    ['negative spoiled', facts({ input: { spoiled: -1 } }), 'copy_execution.spoiled_invalid'],
    ['fractional spoiled', facts({ input: { spoiled: 1.5, spoiledNote: 'x' } }), 'copy_execution.spoiled_invalid'],
    ['spoiled without a note', facts({ input: { spoiled: 1, spoiledNote: ' ' } }), 'copy_execution.spoiled_note_required'],
    ['extract without the part’s level', facts({ type: 'extract', requestedForm: null, input: { form: 'trich_sao' } }), 'copy_execution.part_level_required'],
    [
      'extract above the source',
      facts({ type: 'extract', requestedForm: null, input: { form: 'trich_sao', partLevel: 'TOP_SECRET' } }),
      'copy_execution.part_level_above_source',
    ],
    ['no recipients approved', facts({ approved: { quantity: 2, recipients: 0 } }), 'copy_execution.no_recipients'],
    ['more recipients than copies', facts({ approved: { quantity: 2, recipients: 3 } }), 'copy_execution.recipients_exceed_quantity'],
  ];
  it.each(rows)('%s', (_label, f, expected) => {
    const r = checkExecution(f);
    expect(r.ok ? 'ok' : r.code).toBe(expected);
  });
});

describe('shareCopies', () => {
  it.each([
    [1, 1, [0]],
    [3, 1, [0, 0, 0]],
    [2, 2, [0, 1]],
    [3, 2, [0, 0, 1]],
    [5, 3, [0, 0, 1, 1, 2]],
  ])('%i copies among %i recipients', (q, r, expected) => {
    expect(shareCopies(q, r)).toEqual(expected);
  });
  it('every copy goes to someone, every recipient gets one, in runs', () => {
    for (let q = 1; q <= 12; q++)
      for (let r = 1; r <= q; r++) {
        const s = shareCopies(q, r);
        expect(s).toHaveLength(q);
        expect(new Set(s).size).toBe(r);
        expect([...s].sort((a, b) => a - b)).toEqual(s);
      }
  });
  it('refuses more recipients than copies', () => expect(() => shareCopies(1, 2)).toThrow(RangeError));
});

describe('registerNote', () => {
  it.each([
    [0, null, null],
    [0, 'ignored', null],
    [1, 'Kẹt giấy', '1 bản hỏng đã hủy: Kẹt giấy'],
    [2, '', '2 bản hỏng đã hủy'],
  ])('%i spoiled, note %s', (n, note, expected) => expect(registerNote(n, note)).toBe(expected));
});

describe('copyFileReader', () => {
  const me = { id: 'u1', unitId: 'A', roles: ['officer'] };
  const rows: [string, Parameters<typeof copyFileReader>[0], string | null][] = [
    ['the holder', { actor: me, holder: { kind: 'user', userId: 'u1', unitId: null }, contentAllowed: false }, 'holder'],
    ['clerk of the holding unit', { actor: { ...me, roles: ['clerk'] }, holder: { kind: 'unit', userId: null, unitId: 'A' }, contentAllowed: false }, 'holder'],
    ['officer of the holding unit, no need-to-know', { actor: me, holder: { kind: 'unit', userId: null, unitId: 'A' }, contentAllowed: false }, null],
    ['another person who may read the content', { actor: me, holder: { kind: 'user', userId: 'u2', unitId: null }, contentAllowed: true }, 'content'],
    ['another person without need-to-know', { actor: me, holder: { kind: 'user', userId: 'u2', unitId: null }, contentAllowed: false }, null],
    ['an outside holder', { actor: me, holder: { kind: 'outside', userId: null, unitId: null }, contentAllowed: false }, null],
  ];
  it.each(rows)('%s', (_l, input, expected) => expect(copyFileReader(input)).toBe(expected));
});
