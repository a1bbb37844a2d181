import { describe, expect, it } from 'vitest';
import { copiesOf, draftBody, itemIdFrom, levelFromBasis, recipientKey, shorterPeriodOf } from './draft';

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
});
