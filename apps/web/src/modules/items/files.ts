// Attached files: what the upload accepts and how sizes and types read (pure; files.test.ts).

/** The types the server takes (PDF, Word, OpenDocument, Excel, images, plain text). */
export const UPLOAD_ACCEPT = ['.pdf', '.doc', '.docx', '.odt', '.xls', '.xlsx', '.ods', '.jpg', '.jpeg', '.png', '.tif', '.tiff', '.txt'].join(',');

/** The scan of a signed receipt page: PDF or an image (the server's receipt_scan types). */
export const RECEIPT_SCAN_ACCEPT = ['.pdf', '.jpg', '.jpeg', '.png', '.tif', '.tiff'].join(',');

const TYPE_BY_MEDIA: Record<string, string> = {
  'application/pdf': 'PDF',
  'application/msword': 'Word',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word',
  'application/vnd.oasis.opendocument.text': 'ODT',
  'application/vnd.ms-excel': 'Excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'Excel',
  'application/vnd.oasis.opendocument.spreadsheet': 'ODS',
  'image/jpeg': 'JPEG',
  'image/png': 'PNG',
  'image/tiff': 'TIFF',
  'text/plain': 'TXT',
};

/** A short name of the file's type: from its media type, else its extension in capitals. */
export function fileTypeLabel(mediaType: string, fileName: string): string {
  const known = TYPE_BY_MEDIA[mediaType.split(';')[0]!.trim().toLowerCase()];
  if (known) return known;
  const ext = /\.([A-Za-z0-9]{1,8})$/.exec(fileName)?.[1];
  return ext ? ext.toUpperCase() : mediaType;
}

// The size shown beside a file name is a general format (kit/format.ts); re-exported for the item screens.
export { fileSizeText } from '../../kit/format';

/**
 * What the "Bản quét phiếu ký nhận" cell of a custody event offers: nothing before it is signed;
 * the download to the signer and register readers (others only learn that a scan exists); the
 * upload to the signer (or the clerk who recorded an outside receipt) while none is attached.
 */
export function receiptScanOffer(
  e: { confirmedAt: string | null; confirmedBy: string | null; receiptScan: unknown },
  me: { id: string },
  readsRegisters: boolean,
): 'download' | 'listed' | 'upload' | 'none' | null {
  if (!e.confirmedAt) return null;
  const signer = !!e.confirmedBy && e.confirmedBy === me.id;
  if (e.receiptScan) return signer || readsRegisters ? 'download' : 'listed';
  return signer ? 'upload' : 'none';
}
