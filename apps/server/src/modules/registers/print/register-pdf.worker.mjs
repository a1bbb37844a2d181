// Entry of the register-printing worker thread (register-pdf-runner.ts). Plain JavaScript because
// a worker does not inherit a TypeScript loader on Node 20: `execArgv: ['--import', 'tsx']` is
// ignored for the worker's own entry (ERR_UNKNOWN_FILE_EXTENSION, checked on Node 20.20), so this
// file loads the TypeScript worker through tsx's scoped loader, the same way under Vitest and
// under `tsx apps/server/src/main.ts`.
import { tsImport } from 'tsx/esm/api';

await tsImport('./register-pdf.worker.ts', import.meta.url);
