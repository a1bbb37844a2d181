import { describe, expect, it } from 'vitest';
import { basisOf, copiesOf, draftBody, draftFormFromItem, itemIdFrom, levelFromBasis, recipientKey, shorterPeriodOf, type SavedDraft } from './draft';

describe('proposal form helpers', () => {
  it('takes the highest level of the chosen basis', () => {
    expect(levelFromBasis([])).toBeNull();
    expect(levelFromBasis(['CONFIDENTIAL'])).toBe('CONFIDENTIAL');
    expect(levelFromBasis(['CONFIDENTIAL', 'TOP_SECRET', 'SECRET'])).toBe('TOP_SECRET');
  });

  it('counts copies and spots the same recipient twice', () => {
    expect(copiesOf([{ kind: 'unit', copies: 2 }, { kind: 'outside', copies: null }, undefined])).toBe(2);
    expect(recipientKey({ kind: 'outside', outsideName: ' Bộ Ngoại giao ' })).toBe(recipientKey({ kind: 'outside', outsideName: 'bộ ngoại giao' }));
    expect(recipientKey({ kind: 'user' })).toBeNull();
  });

  it('builds the shorter period only when asked', () => {
    expect(shorterPeriodOf({ shorter: false, years: 3 })).toBeUndefined();
    expect(shorterPeriodOf({ shorter: true, shorterMode: 'length', years: 3, months: 0 })).toEqual({ years: 3 });
    expect(shorterPeriodOf({ shorter: true, shorterMode: 'until', until: '2030-01-01' })).toEqual({ until: '2030-01-01' });
  });

  it('sends what docs/api.md asks for', () => {
    const body = draftBody(
      {
        kind: 'document',
        docType: ' Báo cáo ',
        summary: 'Tóm tắt',
        field: 'Ngoại giao',
        basis: ['c1'],
        recipients: [
          { kind: 'user', userId: 'u1', copies: 1, addresseeOnly: true },
          { kind: 'unit', unitId: 'n1', copies: 2, addresseeOnly: true },
          { kind: 'outside', outsideName: ' Bộ Ngoại giao ', copies: 1 },
        ],
        copyCount: 5,
        copyAllowed: 'no',
      },
      'SECRET',
    );
    expect(body).toEqual({
      kind: 'document',
      docType: 'Báo cáo',
      summary: 'Tóm tắt',
      field: 'Ngoại giao',
      level: 'SECRET',
      catalogItemIds: ['c1'],
      recipients: [
        { kind: 'user', userId: 'u1', copies: 1, addresseeOnly: true },
        { kind: 'unit', unitId: 'n1', copies: 2 },
        { kind: 'outside', outsideName: 'Bộ Ngoại giao', copies: 1 },
      ],
      copyCount: 5,
      copyAllowed: false,
    });
  });

  it('finds an item id in a pasted address', () => {
    expect(itemIdFrom('http://10.0.0.5:8080/items/BC06B40D-B9C4-43DC-A219-BB7E0A7D7A6F')).toBe('bc06b40d-b9c4-43dc-a219-bb7e0a7d7a6f');
    expect(itemIdFrom('12/BC-SNV')).toBeNull();
  });

  it('fills the edit form from a saved draft, finding recipient ids by name when the server sends none', () => {
    const saved: SavedDraft = {
      item: {
        kind: 'electronic_document',
        docType: 'Báo cáo',
        field: 'Ngoại giao',
        catalogItemId: 'c1',
        copiesPlanned: 3,
        copyAllowed: false,
        recallRequired: true,
      },
      recipients: [
        { kind: 'user', name: 'Phạm Thị Lan', copies: 1, addresseeOnly: true },
        { kind: 'unit', name: 'Phòng Hợp tác quốc tế', copies: 1, addresseeOnly: false },
        { kind: 'unit', name: 'Đơn vị đã giải thể', copies: 1, addresseeOnly: false },
        { kind: 'outside', name: 'Bộ Ngoại giao', copies: 1, addresseeOnly: false },
        { kind: 'user', name: 'Ai đó', copies: 1, addresseeOnly: false, userId: 'u9' },
      ],
    };
    const ids = {
      unitByName: (n: string) => (n === 'Phòng Hợp tác quốc tế' ? 'unit-htqt' : undefined),
      userByName: (n: string) => (n === 'Phạm Thị Lan' ? 'u-lan' : undefined),
    };
    const f = draftFormFromItem(saved, 'Trích yếu đã lưu', ids);
    expect(f).toMatchObject({
      kind: 'electronic_document',
      docType: 'Báo cáo',
      summary: 'Trích yếu đã lưu',
      field: 'Ngoại giao',
      basis: ['c1'],
      copyCount: 3,
      copyAllowed: 'no',
      recallRequired: true,
      shorter: false,
    });
    expect(f.recipients).toEqual([
      { kind: 'user', userId: 'u-lan', copies: 1, addresseeOnly: true },
      { kind: 'unit', unitId: 'unit-htqt', copies: 1 },
      // Not found: left for the person to choose again (the form then asks for it).
      { kind: 'unit', unitId: undefined, copies: 1 },
      { kind: 'outside', outsideName: 'Bộ Ngoại giao', copies: 1 },
      { kind: 'user', userId: 'u9', copies: 1, addresseeOnly: false },
    ]);
    // Saving it unchanged sends the same proposal again (PATCH replaces the whole draft).
    expect(draftBody(f, 'SECRET')).toMatchObject({ catalogItemIds: ['c1'], copyCount: 3, copyAllowed: false, recallRequired: true });
  });

  it('keeps a saved shorter period, and every catalogue id when the server lists them', () => {
    const item = {
      kind: 'document' as const,
      docType: 'Kế hoạch',
      field: 'Ngoại giao',
      catalogItemId: 'c1',
      copiesPlanned: 1,
      copyAllowed: true,
      recallRequired: false,
    };
    expect(basisOf({ ...item, catalogItemIds: ['c1', 'c2'] })).toEqual(['c1', 'c2']);
    expect(basisOf({ ...item, catalogItemId: null })).toEqual([]);
    const f = draftFormFromItem({ item: { ...item, shorterPeriod: { years: 3 } }, recipients: [] }, '', {
      unitByName: () => undefined,
      userByName: () => undefined,
    });
    expect(shorterPeriodOf(f)).toEqual({ years: 3 });
    const g = draftFormFromItem({ item: { ...item, shorterPeriod: { until: '2030-01-01' } }, recipients: [] }, '', {
      unitByName: () => undefined,
      userByName: () => undefined,
    });
    expect(shorterPeriodOf(g)).toEqual({ until: '2030-01-01' });
  });
});
