import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { attachmentErrors } from './attachments.errors';
import { contentMatches, SIGNATURE_BYTES, type MediaTypeDefinition } from './attachments.rules';

/** A stalled upload is given up after this long without a byte: it holds a database transaction. */
export const UPLOAD_IDLE_MS = 60_000;

export interface UploadGuardOptions {
  maxBytes: number;
  format: MediaTypeDefinition;
  idleMs?: number;
}

/**
 * Sits between the request and the blob store and passes the bytes through unchanged, failing the
 * stream (so the blob store removes its partial file and the transaction rolls back) when the
 * upload exceeds `maxBytes`, is empty, does not start like its format, or stalls. Only the first
 * few bytes are held back, for the format check: nothing is buffered.
 */
export class UploadGuard extends Transform {
  size = 0;
  private head: Buffer | undefined = Buffer.alloc(0);
  private timer: NodeJS.Timeout | undefined;
  private readonly maxBytes: number;
  private readonly format: MediaTypeDefinition;
  private readonly idleMs: number;

  constructor(opts: UploadGuardOptions) {
    super();
    this.maxBytes = opts.maxBytes;
    this.format = opts.format;
    this.idleMs = opts.idleMs ?? UPLOAD_IDLE_MS;
    // The request flows in as soon as it is piped, possibly before the blob store's pipeline
    // listens: an early refusal must not be an unhandled 'error' event. The pipeline still gets
    // it (it reads the stream's stored error).
    this.on('error', () => undefined);
    this.arm();
  }

  private arm(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.destroy(attachmentErrors.stalled()), this.idleMs);
    this.timer.unref();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, callback: TransformCallback): void {
    this.arm();
    this.size += chunk.length;
    if (this.size > this.maxBytes) return callback(attachmentErrors.tooLarge(this.maxBytes));
    if (this.head === undefined) return callback(null, chunk);
    const head = Buffer.concat([this.head, chunk]);
    if (head.length < SIGNATURE_BYTES) {
      this.head = head;
      return callback();
    }
    this.head = undefined;
    if (!contentMatches(this.format, head)) return callback(attachmentErrors.contentMismatch());
    callback(null, head);
  }

  override _flush(callback: TransformCallback): void {
    clearTimeout(this.timer);
    if (this.size === 0) return callback(attachmentErrors.empty());
    if (this.head !== undefined) {
      // A file shorter than the longest signature: check what there is.
      if (!contentMatches(this.format, this.head)) return callback(attachmentErrors.contentMismatch());
      this.push(this.head);
      this.head = undefined;
    }
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    clearTimeout(this.timer);
    callback(error);
  }
}

/**
 * Feeds the request body into the guard. Unlike `pipeline`, a refusal by the guard does not
 * destroy the request: its socket must stay open to carry the 413/422 answer. A client that goes
 * away fails the guard, so the upload is abandoned.
 */
export function guardUpload(source: Readable, guard: UploadGuard): UploadGuard {
  const onError = () => guard.destroy(attachmentErrors.aborted());
  const onClose = () => {
    if (!source.readableEnded) guard.destroy(attachmentErrors.aborted());
  };
  source.on('error', onError);
  source.on('close', onClose);
  guard.on('close', () => {
    source.off('error', onError);
    source.off('close', onClose);
    source.unpipe(guard);
  });
  source.pipe(guard);
  return guard;
}
