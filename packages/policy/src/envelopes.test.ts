import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { copyNumbersLabel, ENVELOPE_STAMP_TEXT, envelopeFor, type Envelope, type EnvelopeMark } from './envelopes';
import { LEVELS, type Level } from './levels';

const A: EnvelopeMark = { code: 'level_letter', text: 'A' };
const B: EnvelopeMark = { code: 'level_letter', text: 'B' };
const C: EnvelopeMark = { code: 'level_letter', text: 'C' };
const TM: EnvelopeMark = { code: 'level_stamp', text: 'TUYỆT MẬT' };
const ONLY: EnvelopeMark = { code: 'addressee_only', text: 'Chỉ người có tên mới được bóc bì' };
const RECALL: EnvelopeMark = { code: 'recall', text: 'Tài liệu thu hồi' };

const who = 'Đ/c Nguyễn Văn An, Giám đốc';
const num = '12/QĐ-STTTT';

/** Every level × addresseeOnly × recallRequired, with the envelopes expected (outer first). */
const TABLE: Array<[Level, boolean, boolean, Envelope[]]> = [
  [
    'TOP_SECRET',
    false,
    false,
    [
      { layer: 'outer', ordinaryAddress: true, numberSymbol: null, recipientName: who, marks: [A], sealed: false },
      { layer: 'inner', ordinaryAddress: false, numberSymbol: num, recipientName: who, marks: [TM], sealed: true },
    ],
  ],
  [
    'TOP_SECRET',
    true,
    false,
    [
      { layer: 'outer', ordinaryAddress: true, numberSymbol: null, recipientName: who, marks: [A], sealed: false },
      { layer: 'inner', ordinaryAddress: false, numberSymbol: num, recipientName: who, marks: [TM, ONLY], sealed: true },
    ],
  ],
  [
    'TOP_SECRET',
    false,
    true,
    [
      { layer: 'outer', ordinaryAddress: true, numberSymbol: null, recipientName: who, marks: [A], sealed: false },
      { layer: 'inner', ordinaryAddress: false, numberSymbol: num, recipientName: who, marks: [TM, RECALL], sealed: true },
    ],
  ],
  [
    'TOP_SECRET',
    true,
    true,
    [
      { layer: 'outer', ordinaryAddress: true, numberSymbol: null, recipientName: who, marks: [A], sealed: false },
      { layer: 'inner', ordinaryAddress: false, numberSymbol: num, recipientName: who, marks: [TM, ONLY, RECALL], sealed: true },
    ],
  ],
  ['SECRET', false, false, [{ layer: 'outer', ordinaryAddress: true, numberSymbol: num, recipientName: who, marks: [B], sealed: true }]],
  ['SECRET', true, false, [{ layer: 'outer', ordinaryAddress: true, numberSymbol: num, recipientName: who, marks: [B, ONLY], sealed: true }]],
  ['SECRET', false, true, [{ layer: 'outer', ordinaryAddress: true, numberSymbol: num, recipientName: who, marks: [B, RECALL], sealed: true }]],
  ['SECRET', true, true, [{ layer: 'outer', ordinaryAddress: true, numberSymbol: num, recipientName: who, marks: [B, ONLY, RECALL], sealed: true }]],
  ['CONFIDENTIAL', false, false, [{ layer: 'outer', ordinaryAddress: true, numberSymbol: num, recipientName: who, marks: [C], sealed: true }]],
  ['CONFIDENTIAL', true, false, [{ layer: 'outer', ordinaryAddress: true, numberSymbol: num, recipientName: who, marks: [C, ONLY], sealed: true }]],
  ['CONFIDENTIAL', false, true, [{ layer: 'outer', ordinaryAddress: true, numberSymbol: num, recipientName: who, marks: [C, RECALL], sealed: true }]],
  ['CONFIDENTIAL', true, true, [{ layer: 'outer', ordinaryAddress: true, numberSymbol: num, recipientName: who, marks: [C, ONLY, RECALL], sealed: true }]],
];

describe('envelopes (NĐ 26/2020 Đ.4, kept by NĐ 63/2026)', () => {
  it('the table covers every level × addresseeOnly × recallRequired', () => {
    const keys = new Set(TABLE.map(([l, a, r]) => `${l}/${a}/${r}`));
    expect(keys.size).toBe(LEVELS.length * 4);
  });

  it.each(TABLE)('%s addresseeOnly=%s recall=%s', (level, addresseeOnly, recallRequired, expected) => {
    expect(envelopeFor({ level, addresseeOnly, recallRequired, recipientName: who, numberSymbol: num })).toEqual(expected);
  });

  it('missing or blank name and number come back as null (blank line on the label)', () => {
    const [outer, inner] = envelopeFor({ level: 'TOP_SECRET', addresseeOnly: true, recallRequired: false, recipientName: '   ' });
    expect(outer?.recipientName).toBeNull();
    expect(inner?.recipientName).toBeNull();
    expect(inner?.numberSymbol).toBeNull();
    const [single] = envelopeFor({ level: 'CONFIDENTIAL', addresseeOnly: false, recallRequired: false, numberSymbol: null });
    expect(single?.numberSymbol).toBeNull();
  });

  it('names and numbers are trimmed', () => {
    const [single] = envelopeFor({ level: 'SECRET', addresseeOnly: false, recallRequired: false, recipientName: '  Sở Nội vụ ', numberSymbol: ' 5/BC ' });
    expect(single).toMatchObject({ recipientName: 'Sở Nội vụ', numberSymbol: '5/BC' });
  });

  it('stamp texts are the official wording', () => {
    expect(ENVELOPE_STAMP_TEXT).toEqual({ topSecretLevel: 'TUYỆT MẬT', addresseeOnly: 'Chỉ người có tên mới được bóc bì', recall: 'Tài liệu thu hồi' });
  });

  it('invariants over all inputs (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...LEVELS),
        fc.boolean(),
        fc.boolean(),
        fc.option(fc.string(), { nil: undefined }),
        fc.option(fc.string(), { nil: undefined }),
        (level, addresseeOnly, recallRequired, recipientName, numberSymbol) => {
          const envs = envelopeFor({ level, addresseeOnly, recallRequired, recipientName, numberSymbol });
          const outer = envs[0]!;
          // Two envelopes exactly for Tuyệt mật; the first is always the outer one.
          expect(envs.length).toBe(level === 'TOP_SECRET' ? 2 : 1);
          expect(outer.layer).toBe('outer');
          // The outer envelope carries the level letter and never the level word.
          expect(outer.marks[0]).toEqual({ code: 'level_letter', text: { TOP_SECRET: 'A', SECRET: 'B', CONFIDENTIAL: 'C' }[level] });
          expect(outer.marks.some((m) => m.code === 'level_stamp')).toBe(false);
          const all = envs.flatMap((e) => e.marks);
          // Each handling mark appears exactly when asked, once, on the innermost envelope.
          const innermost = envs[envs.length - 1]!;
          expect(all.filter((m) => m.code === 'addressee_only').length).toBe(addresseeOnly ? 1 : 0);
          expect(all.filter((m) => m.code === 'recall').length).toBe(recallRequired ? 1 : 0);
          expect(innermost.marks.filter((m) => m.code === 'addressee_only' || m.code === 'recall').length).toBe(Number(addresseeOnly) + Number(recallRequired));
          // The envelope that holds the item is sealed.
          expect(innermost.sealed).toBe(true);
        },
      ),
    );
  });
});

describe('copyNumbersLabel', () => {
  it('writes the copy numbers of one sending once, over the set', () => {
    expect(copyNumbersLabel([2], 4)).toBe('Bản số 2/4');
    expect(copyNumbersLabel([3, 2], 4)).toBe('Bản số 2, 3/4');
    expect(copyNumbersLabel([1, 2, 3], 3)).toBe('Bản số 1, 2, 3/3');
  });
});
