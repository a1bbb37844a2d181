// Entry of a process of the parallel audit verification (audit-log.ts, verifyInProcesses). Plain
// JavaScript that loads the TypeScript child through tsx's scoped loader, the same way under
// Vitest, under `tsx apps/server/src/main.ts` and under the `khomat` command.
import { tsImport } from 'tsx/esm/api';

await tsImport('./verify-segment.child.ts', import.meta.url);
