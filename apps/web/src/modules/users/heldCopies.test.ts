import { describe, expect, it } from 'vitest';
import { ApiError } from '../../kit/api';
import { heldCopiesOf } from './heldCopies';

const refusal = (details: Record<string, unknown> | undefined, code = 'org.user_holds_copies') =>
  new ApiError({ status: 409, code, message: 'Người dùng còn giữ bản tài liệu, vật chứa bí mật nhà nước.', details, fromServer: true });

describe('heldCopiesOf', () => {
  it('lists the copies of a refused deactivation', () => {
    const err = refusal({
      copies: [
        { copyId: 'c1', label: 'Bản số 2/3', numberSymbol: '12/BC-STP', level: 'SECRET', status: 'held' },
        { copyId: 'c2', label: 'Bản số 1/1', numberSymbol: null, level: 'TOP_SECRET', status: 'in_transit' },
        { label: 'Bản số 1/2', number: '7', symbol: 'KH-STP', level: 'CONFIDENTIAL' },
        { label: 'Bản số 2/2', number: null, symbol: null, level: null },
      ],
    });
    expect(heldCopiesOf(err)).toEqual([
      { label: 'Bản số 2/3', numberSymbol: '12/BC-STP', level: 'SECRET' },
      { label: 'Bản số 1/1', numberSymbol: null, level: 'TOP_SECRET' },
      { label: 'Bản số 1/2', numberSymbol: '7/KH-STP', level: 'CONFIDENTIAL' },
      { label: 'Bản số 2/2', numberSymbol: null, level: null },
    ]);
  });

  it('ignores other errors, missing details and malformed rows', () => {
    expect(heldCopiesOf(refusal({ copies: [{ label: 'Bản số 1/1' }] }, 'org.last_admin'))).toEqual([]);
    expect(heldCopiesOf(new Error('x'))).toEqual([]);
    expect(heldCopiesOf(refusal(undefined))).toEqual([]);
    expect(heldCopiesOf(refusal({ copies: 'Bản số 1/1' }))).toEqual([]);
    expect(heldCopiesOf(refusal({ copies: [null, { label: '' }, { label: 'Bản số 3/3', level: 'SECRETISH' }] }))).toEqual([
      { label: 'Bản số 3/3', numberSymbol: null, level: null },
    ]);
  });
});
