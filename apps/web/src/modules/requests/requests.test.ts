import { describe, expect, it } from 'vitest';
import { detailLines, type Recipient } from './requests';

describe('detailLines', () => {
  const recipient = (r: Recipient) => (r.kind === 'outside' ? r.name : r.kind);
  const yesNo = (b: boolean) => (b ? 'Có' : 'Không');

  it('lists the requested fields in the page order, recipients joined, booleans in words, unknown keys left out', () => {
    expect(
      detailLines(
        {
          recipients: [
            { kind: 'outside', name: 'Bộ Ngoại giao' },
            { kind: 'user', userId: 'u1' },
          ],
          quantity: 2,
          form: 'sao_y',
          commitment: true,
          other: 'x',
          subject: null,
        },
        recipient,
        yesNo,
      ),
    ).toEqual([
      ['form', 'sao_y'],
      ['quantity', '2'],
      ['recipients', 'Bộ Ngoại giao; user'],
      ['commitment', 'Có'],
    ]);
  });

  it('keeps a take-out period in order from → to', () => {
    expect(detailLines({ to: '2026-07-03', from: '2026-07-01', place: 'Hà Nội' }, recipient, yesNo).map(([k]) => k)).toEqual(['place', 'from', 'to']);
  });
});
