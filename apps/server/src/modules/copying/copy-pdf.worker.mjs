// Entry of the copy-producing worker thread (copy-pdf-runner.ts). Plain JavaScript because a
// worker does not inherit a TypeScript loader on Node 20 (see register-pdf.worker.mjs): this file
// loads the TypeScript worker through tsx's scoped loader, the same way under Vitest and under
// `tsx apps/server/src/main.ts`.
import { tsImport } from 'tsx/esm/api';

await tsImport('./copy-pdf.worker.ts', import.meta.url);
