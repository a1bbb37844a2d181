import { defineError, DomainError } from '../../platform/errors';

// One catalogue for backup and restore. Unlike the blob store's single integrity message, a
// damaged backup names the part that failed: the reader here is the administrator choosing which
// copy of the backup to trust, and the part tells them whether it is one table, one file, or the
// whole archive. Part names are archive paths (table and blob ids), never content.
export const backupErrors = {
  notABackup: defineError('backup.not_a_backup', 'unprocessable', 'Tệp này không phải bản sao lưu KhoMật.'),
  unsupportedFormat: defineError('backup.unsupported_format', 'unprocessable', 'Bản sao lưu có định dạng mà phiên bản KhoMật này không đọc được.'),
  foreign: defineError('backup.foreign', 'unprocessable', 'Bản sao lưu này không thuộc hệ thống này (khoá khác).'),
  incompatible: defineError(
    'backup.incompatible',
    'unprocessable',
    'Bản sao lưu được tạo bởi phiên bản KhoMật khác (cấu trúc cơ sở dữ liệu không khớp). Hãy khôi phục bằng đúng phiên bản đã tạo bản sao lưu rồi nâng cấp.',
  ),
  targetNotEmpty: defineError('backup.target_not_empty', 'conflict', 'Chỉ khôi phục được vào một hệ thống trống (chưa có dữ liệu và chưa có tệp lưu trữ).'),
  outputExists: defineError('backup.output_exists', 'conflict', 'Tệp sao lưu đích đã tồn tại; hãy chọn tên khác.'),
  sourceIncomplete: defineError(
    'backup.source_incomplete',
    'integrity',
    'Không tạo được bản sao lưu: một tệp trong kho lưu trữ bị thiếu hoặc sai kích thước. Hãy kiểm tra kho tệp rồi chạy lại.',
  ),
};

export const BACKUP_DAMAGED = 'backup.damaged';

/**
 * Any integrity problem of a backup file. `part` is the archive path where it was found
 * ('header', 'tables/<table>/<n>.jsonl', 'blobs/<id>', 'manifest.json' or 'archive').
 */
export function damaged(part: string, reason: string, extra: Record<string, unknown> = {}): DomainError {
  return new DomainError(BACKUP_DAMAGED, 'integrity', `Bản sao lưu bị hỏng hoặc đã bị sửa đổi (phần: ${part}).`, { part, reason, ...extra });
}
