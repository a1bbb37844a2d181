import { describe, expect, it } from 'vitest';
import { CLEARANCE_LABEL_VI, type Clearance } from '@khomat/policy';
import { vi } from '../../kit/dict.vi';
import { en } from '../../kit/dict.en';
import type { I18n } from '../../kit/i18n';
import { eventDetailLines } from './timeline';

const dict: Record<string, string> = vi;
const has = (k: string) => Object.prototype.hasOwnProperty.call(dict, k);
const i = {
  lang: 'vi',
  t: (k: string, p?: Record<string, string | number>) => dict[k]!.replace(/\{(\w+)\}/g, (m, x: string) => (p && x in p ? String(p[x]) : m)),
  detailLabel: (n: string) => (has(`detail.${n}`) ? dict[`detail.${n}`]! : n),
  detailValue: (n: string, v: string) => (has(`value.${n}.${v}`) ? dict[`value.${n}.${v}`]! : null),
  codeLabel: (p: string, c: string) => (has(`${p}.${c}`) ? dict[`${p}.${c}`]! : c),
  clearanceLabel: (c: Clearance) => CLEARANCE_LABEL_VI[c],
} as unknown as I18n;

const ID_A = '0b6f3c1e-2a4d-4c8e-9f10-123456789abc';
const ID_B = '7d1e2f3a-4b5c-4d6e-8f70-0123456789ab';
const ev = (action: string, details: Record<string, unknown>) => ({ at: '2026-03-02T03:04:05.000Z', action, actor: null, details });

describe('item timeline', () => {
  it('labels every lifecycle action of the item page in both languages', () => {
    const actions = [
      'item.drafted',
      'item.proposed',
      'item.returned',
      'item.revised',
      'item.classified',
      'item.issued',
      'item.envelopes_printed',
      'item.draft_updated',
      'item.received',
      'custody.handed_over',
      'custody.receipt_confirmed',
      'custody.outside_receipt_recorded',
      'incident.envelope_reported',
      'item.assignment_granted',
      'item.assignment_revoked',
      'item.content_read',
      'item.content_refused',
      'item.attachment_added',
      'item.attachment_read',
      'item.attachment_removed',
      'item.summary_agreed',
      'item.summary_completed',
      'take_out.executed',
      'take_out.returned',
      'take_out.overdue_notified',
      'incident.opened',
    ];
    for (const a of actions) {
      expect(vi[`action.${a}` as keyof typeof vi], a).toBeTruthy();
      expect(en[`action.${a}` as keyof typeof en], a).toBeTruthy();
    }
  });

  it('turns codes, levels and dates into words and never shows an id', () => {
    const lines = eventDetailLines(i, ev('item.classified', { level: 'SECRET', classifiedOn: '2026-03-02', protectionEnd: '2046-03-02', via: 'head' }));
    expect(lines.map((l) => `${l.label}: ${l.value}`)).toEqual([
      'Độ mật: Tối mật',
      'Ngày xác định độ mật: 02/03/2026',
      'Bảo vệ đến: 02/03/2046',
      'Thẩm quyền: Người đứng đầu',
    ]);
    const handed = eventDetailLines(
      i,
      ev('custody.handed_over', { eventId: ID_A, copies: 2, to: { kind: 'user', id: ID_B }, registerNumber: 7 }),
      new Map([[ID_B, 'Lý Thị Mai']]),
    );
    expect(handed.map((l) => `${l.label}: ${l.value}`)).toEqual(['Số bản: 2', 'Sang: Lý Thị Mai', 'Số đăng ký: 7']);
    // An id with no known name is left out rather than shown.
    expect(eventDetailLines(i, ev('item.assignment_granted', { userId: ID_A }))).toEqual([]);
    expect(eventDetailLines(i, ev('item.assignment_granted', { userId: ID_A }), new Map([[ID_A, 'Lý Thị Mai']]))).toEqual([
      { key: 'userId', label: 'Người được phân công', value: 'Lý Thị Mai' },
    ]);
  });

  it('keeps the return reason for its own box, and words the reason of a content read', () => {
    expect(eventDetailLines(i, ev('item.returned', { reason: 'Bổ sung số liệu', via: 'head' })).map((l) => l.key)).toEqual(['via']);
    expect(eventDetailLines(i, ev('item.content_read', { reason: 'assigned' }))).toEqual([{ key: 'reason', label: 'Lý do', value: 'được phân công' }]);
  });

  it('leaves out keys it has no words for', () => {
    expect(eventDetailLines(i, ev('item.future_thing', { somethingNew: 'x', kind: 'electronic_document' })).map((l) => `${l.label}: ${l.value}`)).toEqual([
      'Loại: Tài liệu điện tử',
    ]);
  });
});
