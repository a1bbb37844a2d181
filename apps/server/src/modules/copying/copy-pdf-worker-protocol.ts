import type { ErrorKind } from '../../platform/errors';
import type { CopyDescription } from './copy-pdf';

/** Messages between copy-pdf-runner.ts (server) and copy-pdf.worker.ts, one job at a time. */
export type CopyWorkerRequest = { type: 'produce'; original: Uint8Array; descriptions: CopyDescription[] } | { type: 'read'; image: Uint8Array };
export type CopyWorkerReply =
  | { type: 'copy'; index: number; bytes: Uint8Array }
  | { type: 'done' }
  | { type: 'id'; id: string }
  /** `code` and `kind` when the failure is a domain error (copyingErrors), to rethrow it as such. */
  | { type: 'error'; message: string; code?: string; kind?: ErrorKind };
