import { defineError, type ErrorKind } from '../../platform/errors';
import type { EnteredDateRefusal, SummaryRefusal } from './dispatch.rules';

// Refusals of dispatch.rules.ts, each with the status that fits and a Vietnamese message.
const DISPATCH_ERRORS: Record<EnteredDateRefusal | SummaryRefusal, { kind: ErrorKind; message: string }> = {
  'date.after_today': { kind: 'unprocessable', message: 'Ngày nhập không được sau ngày hôm nay.' },
  'date.before_document_date': { kind: 'unprocessable', message: 'Ngày nhập không được trước ngày của văn bản.' },
  'date.before_sent': { kind: 'unprocessable', message: 'Ngày ký nhận không được trước ngày gửi đi.' },
  'summary.not_addressee_only': {
    kind: 'unprocessable',
    message: 'Chỉ bổ sung trích yếu cho tài liệu đến có dấu "Chỉ người có tên mới được bóc bì".',
  },
  'summary.not_named_addressee': {
    kind: 'forbidden',
    message: 'Chỉ người có tên trên bì (hoặc văn thư, khi người đó đã đồng ý) được bổ sung trích yếu.',
  },
  'summary.clearance_below_level': { kind: 'forbidden', message: 'Mức tiếp cận của bạn thấp hơn độ mật của tài liệu.' },
  'summary.top_secret': {
    kind: 'unprocessable',
    message: 'Sổ đăng ký không được ghi trích yếu của tài liệu Tuyệt mật (Nghị định 63/2026/NĐ-CP).',
  },
  'summary.envelope_not_opened': {
    kind: 'conflict',
    message: 'Người có tên chưa ký nhận và bóc bì; chưa thể bổ sung trích yếu.',
  },
  'summary.already_completed': { kind: 'conflict', message: 'Trích yếu của tài liệu này đã được ghi.' },
  'summary.already_agreed': { kind: 'conflict', message: 'Bạn đã đồng ý để văn thư ghi trích yếu tài liệu này.' },
  'summary.no_agreement': {
    kind: 'forbidden',
    message: 'Văn thư chỉ ghi trích yếu khi người có tên đã ghi nhận đồng ý trong hệ thống.',
  },
};

export function dispatchError(code: EnteredDateRefusal | SummaryRefusal, details?: Record<string, unknown>) {
  const e = DISPATCH_ERRORS[code];
  return defineError(code, e.kind, e.message)(details);
}
