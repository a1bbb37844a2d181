import { describe, expect, it } from 'vitest';
import { REQUEST_TYPES } from './requests';
import {
  asksForCopies,
  detailIssues,
  draftRequestBody,
  formValuesOf,
  issueField,
  isCopyingRequest,
  recipientKey,
  typeFromQuery,
  type RequestFormValues,
} from './requestForm';

const base = { purpose: '  Phục vụ họp giao ban  ', copyIds: ['c1', 'c1', 'c2'] };
const recipients = [
  { kind: 'outside' as const, name: ' Bộ Ngoại giao ' },
  { kind: 'user' as const, userId: 'u1' },
  { kind: 'unit' as const, unitId: 'd1' },
];
const provide = {
  requestingBody: 'Đại sứ quán X',
  representative: 'John Smith',
  representativePosition: 'Tham tán',
  nationality: 'X',
  idDocument: 'P1234567',
  whatAsked: 'Lịch trình',
  commitment: true,
};
const takeOut = { place: 'Hà Nội', country: 'Lào', from: '2026-07-01', to: '2026-07-03', protectionMeasures: 'Cặp có khóa' };
// Every field of every type filled in: each type must send only its own.
const everything: Omit<RequestFormValues, 'type'> = {
  ...base,
  form: 'sao_luc',
  quantity: 2,
  recipients,
  subject: 'Trang 2',
  part: 'Mục II',
  ...provide,
  ...takeOut,
};

describe('draftRequestBody: the form → the body of POST /api/requests, per type', () => {
  it.each([
    [
      'copy',
      {
        form: 'sao_luc',
        quantity: 2,
        recipients: [
          { kind: 'outside', name: 'Bộ Ngoại giao' },
          { kind: 'user', userId: 'u1' },
          { kind: 'unit', unitId: 'd1' },
        ],
      },
    ],
    [
      'photograph',
      {
        quantity: 2,
        recipients: [
          { kind: 'outside', name: 'Bộ Ngoại giao' },
          { kind: 'user', userId: 'u1' },
          { kind: 'unit', unitId: 'd1' },
        ],
        subject: 'Trang 2',
      },
    ],
    [
      'extract',
      {
        part: 'Mục II',
        quantity: 2,
        recipients: [
          { kind: 'outside', name: 'Bộ Ngoại giao' },
          { kind: 'user', userId: 'u1' },
          { kind: 'unit', unitId: 'd1' },
        ],
      },
    ],
    [
      'provide_domestic',
      {
        requestingBody: 'Đại sứ quán X',
        representative: 'John Smith',
        representativePosition: 'Tham tán',
        idDocument: 'P1234567',
        whatAsked: 'Lịch trình',
        commitment: true,
        quantity: 2,
      },
    ],
    [
      'provide_foreign',
      {
        requestingBody: 'Đại sứ quán X',
        representative: 'John Smith',
        representativePosition: 'Tham tán',
        nationality: 'X',
        idDocument: 'P1234567',
        whatAsked: 'Lịch trình',
        commitment: true,
        quantity: 2,
      },
    ],
    ['take_out_domestic', { place: 'Hà Nội', from: '2026-07-01', to: '2026-07-03', protectionMeasures: 'Cặp có khóa' }],
    ['take_out_abroad', { place: 'Hà Nội', country: 'Lào', from: '2026-07-01', to: '2026-07-03', protectionMeasures: 'Cặp có khóa' }],
  ] as const)('%s sends its own fields only', (type, details) => {
    const body = draftRequestBody('item-1', { ...everything, type });
    expect(body.details).toEqual(details);
    expect(body.itemId).toBe('item-1');
    expect(body.purpose).toBe('Phục vụ họp giao ban');
    // Copying makes new copies from the item; the other types name the copies concerned, once each.
    expect(body.copyIds).toEqual(isCopyingRequest(type) ? undefined : ['c1', 'c2']);
  });

  it('leaves out blank optional texts and an empty quantity; a commitment not ticked is sent as false (the server refuses it)', () => {
    expect(
      draftRequestBody('i', { type: 'photograph', purpose: 'x', quantity: 1, recipients: [{ kind: 'outside', name: 'A' }], subject: '   ' }).details,
    ).toEqual({ quantity: 1, recipients: [{ kind: 'outside', name: 'A' }] });
    const d = draftRequestBody('i', {
      type: 'provide_domestic',
      purpose: 'x',
      ...provide,
      representativePosition: ' ',
      quantity: null,
      commitment: false,
    }).details;
    expect(d).not.toHaveProperty('representativePosition');
    expect(d).not.toHaveProperty('quantity');
    expect(d).not.toHaveProperty('nationality');
    expect(d.commitment).toBe(false);
  });

  it('sends no copyIds when none is chosen', () => {
    expect(draftRequestBody('i', { type: 'take_out_domestic', purpose: 'x', ...takeOut, copyIds: [] })).not.toHaveProperty('copyIds');
  });
});

describe('formValuesOf: a saved draft back into the form', () => {
  it.each(REQUEST_TYPES)('%s: form → body → view → form → body gives the same body', (type) => {
    const first = draftRequestBody('item-1', { ...everything, type });
    const again = draftRequestBody('item-1', formValuesOf({ type, copyIds: first.copyIds ?? [], purpose: first.purpose, details: first.details }));
    expect(again).toEqual(first);
  });
});

describe('the parts of the form', () => {
  it('asks for copies concerned except when copying', () => {
    expect(REQUEST_TYPES.filter(asksForCopies)).toEqual(['provide_domestic', 'provide_foreign', 'take_out_domestic', 'take_out_abroad']);
  });

  it('knows a recipient named twice (outside names case aside), not an unfinished row', () => {
    expect(recipientKey({ kind: 'outside', name: ' Bộ Ngoại Giao ' })).toBe(recipientKey({ kind: 'outside', name: 'bộ ngoại giao' }));
    expect(recipientKey({ kind: 'user', userId: 'u1' })).not.toBe(recipientKey({ kind: 'unit', unitId: 'u1' }));
    expect(recipientKey({ kind: 'user' })).toBeNull();
    expect(recipientKey({ kind: 'outside', name: '  ' })).toBeNull();
  });

  it('maps the server’s detail issues onto the form fields', () => {
    expect(issueField('recipients.0.name')).toEqual(['recipients', 0, 'name']);
    expect(issueField('commitment')).toEqual(['commitment']);
    expect(detailIssues({ issues: [{ path: 'to', message: 'Ngày mang về phải sau hoặc bằng ngày mang ra.' }, { nope: 1 }, 'x'] })).toEqual([
      { path: 'to', message: 'Ngày mang về phải sau hoặc bằng ngày mang ra.' },
    ]);
    expect(detailIssues(undefined)).toEqual([]);
  });

  it('takes the type from the address only when it is one', () => {
    expect(typeFromQuery('provide_foreign', REQUEST_TYPES)).toBe('provide_foreign');
    expect(typeFromQuery('destroy', REQUEST_TYPES)).toBeUndefined();
    expect(typeFromQuery(null, REQUEST_TYPES)).toBeUndefined();
  });
});
