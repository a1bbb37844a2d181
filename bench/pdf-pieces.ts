import crypto from 'node:crypto';

// The bytes of the attachments bench, for the store in the bench's process and for the HTTP client
// in its own: a PDF-looking body (the signature, then random bytes) handed out as 64 KiB views.

const MiB = 1024 * 1024;
const PIECE = 64 * 1024;

/** 16 MiB of random bytes starting with a PDF signature; the pieces below are views into it. */
export function pdfBlock(): Buffer {
  const block = crypto.randomBytes(16 * MiB);
  Buffer.from('%PDF-1.7\n').copy(block);
  return block;
}

/** `total` bytes as 64 KiB views of `block`, repeated as needed (the last piece may be shorter). */
export function pdfPieces(total: number, block: Buffer = pdfBlock()): Buffer[] {
  const pieces: Buffer[] = [];
  for (let at = 0; at < total; at += PIECE) {
    const off = at % block.length;
    pieces.push(block.subarray(off, off + Math.min(PIECE, total - at)));
  }
  return pieces;
}
