import type { RegisterPdfSpec } from './register-pdf';

/** Messages between register-pdf-runner.ts (server) and register-pdf.worker.ts, one job at a time. */
export type WorkerRequest = { type: 'start'; spec: RegisterPdfSpec } | { type: 'rows'; rows: string[][] } | { type: 'end' };
export type WorkerReply = { type: 'ack' } | { type: 'done'; bytes: Uint8Array; pages: number } | { type: 'error'; message: string };
