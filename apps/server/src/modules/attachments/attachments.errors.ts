import { DomainError, defineError, type ErrorKind } from '../../platform/errors';
import { acceptedLabels, type AttachmentPurpose, type ContentFileRefusal, type ReceiptScanRefusal } from './attachments.rules';

// Error catalogue of attached files and receipt scans. Messages are for a clerk or an officer: they
// say what to do, and never repeat the file name (it may reveal content).

const REFUSALS: Record<ContentFileRefusal | ReceiptScanRefusal, { kind: ErrorKind; message: string }> = {
  'attachment.not_drafter': { kind: 'forbidden', message: 'Chỉ người soạn thảo được thêm hoặc gỡ tệp của dự thảo này.' },
  'attachment.not_registering_clerk': {
    kind: 'forbidden',
    message: 'Chỉ văn thư của đơn vị đã tiếp nhận tài liệu đến này được thêm hoặc gỡ tệp của nó.',
  },
  'attachment.clearance_below_level': { kind: 'forbidden', message: 'Mức tiếp cận của bạn thấp hơn độ mật của tài liệu.' },
  'attachment.addressee_only': {
    kind: 'forbidden',
    message: 'Bì "Chỉ người có tên mới được bóc bì" phải được chuyển nguyên cho người có tên; văn thư không đính kèm nội dung của tài liệu này.',
  },
  'attachment.kind_not_electronic': {
    kind: 'unprocessable',
    message: 'Chỉ tài liệu điện tử mới có tệp nội dung đính kèm; tài liệu, vật chứa này thuộc loại khác.',
  },
  'attachment.item_not_editable': {
    kind: 'conflict',
    message: 'Chỉ thêm hoặc gỡ tệp khi tài liệu còn là dự thảo hoặc bị trả lại; tài liệu đã trình, đã phê duyệt hoặc đã phát hành thì không thay đổi được tệp.',
  },
  'attachment.copies_moved_on': {
    kind: 'conflict',
    message: 'Tài liệu đến đã được người nhận ký nhận hoặc đã chuyển khỏi văn thư của đơn vị; không thêm hoặc gỡ tệp được nữa.',
  },
  'receipt_scan.not_confirmed': { kind: 'conflict', message: 'Lần giao nhận này chưa được ký nhận; chỉ đính kèm bản chụp phiếu sau khi đã ký nhận.' },
  'receipt_scan.not_signer': {
    kind: 'forbidden',
    message: 'Chỉ người đã ký nhận (hoặc văn thư đã ghi nhận phiếu ký nhận của cơ quan bên ngoài) được đính kèm bản chụp phiếu ký nhận này.',
  },
  'receipt_scan.exists': { kind: 'conflict', message: 'Lần giao nhận này đã có bản chụp phiếu ký nhận.' },
};

/** A refusal of attachments.rules.ts as a domain error with the status that fits. */
export function refusalError(code: ContentFileRefusal | ReceiptScanRefusal, details?: Record<string, unknown>): DomainError {
  const r = REFUSALS[code];
  return new DomainError(code, r.kind, r.message, details);
}

const MIB = 1024 * 1024;

export const attachmentErrors = {
  notFound: defineError('attachment.not_found', 'not_found', 'Không tìm thấy tệp đính kèm.'),
  nameRequired: defineError('attachment.name_required', 'unprocessable', 'Thiếu tên tệp (tham số name) hoặc tên tệp không hợp lệ.'),
  empty: defineError('attachment.empty', 'unprocessable', 'Tệp rỗng (0 byte); không có gì để lưu.'),
  contentMismatch: defineError(
    'attachment.content_mismatch',
    'unprocessable',
    'Nội dung tệp không đúng với định dạng của nó (theo phần mở rộng của tên tệp hoặc tham số type). Hãy kiểm tra lại tệp.',
  ),
  octetStreamRequired: defineError(
    'attachment.octet_stream_required',
    'validation',
    'Tệp phải được gửi nguyên dạng trong thân yêu cầu (Content-Type: application/octet-stream).',
  ),
  aborted: defineError('attachment.upload_aborted', 'validation', 'Việc tải tệp lên bị gián đoạn; tệp chưa được lưu. Hãy thử lại.'),
  stalled: defineError('attachment.upload_stalled', 'validation', 'Quá lâu không nhận thêm dữ liệu của tệp nên việc tải lên đã bị hủy. Hãy thử lại.'),
  /** The limit is named in MB, as the clerk knows file sizes. */
  tooLarge: (maxBytes: number) =>
    new DomainError('attachment.too_large', 'too_large', `Tệp vượt quá dung lượng cho phép (tối đa ${Math.floor(maxBytes / MIB)} MB).`, { maxBytes }),
  /** Names what is accepted, so the clerk knows what to convert the file to. */
  mediaTypeNotAllowed: (purpose: AttachmentPurpose) =>
    new DomainError(
      purpose === 'content' ? 'attachment.media_type_not_allowed' : 'receipt_scan.media_type_not_allowed',
      'unprocessable',
      purpose === 'content'
        ? `Định dạng tệp không được chấp nhận. Chỉ nhận: ${acceptedLabels('content')}.`
        : `Bản chụp phiếu ký nhận chỉ nhận: ${acceptedLabels('receipt_scan')}.`,
      { accepted: acceptedLabels(purpose) },
    ),
  scanReadForbidden: defineError(
    'receipt_scan.read_forbidden',
    'forbidden',
    'Chỉ người giữ sổ (văn thư, lãnh đạo, cán bộ bảo mật, thanh tra) và người đã ký nhận được xem bản chụp phiếu ký nhận.',
  ),
  scanNotFound: defineError('receipt_scan.not_found', 'not_found', 'Lần giao nhận này chưa có bản chụp phiếu ký nhận.'),
};
