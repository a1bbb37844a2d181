#!/usr/bin/env node
// Entry of the `khomat` command: loads the TypeScript sources through tsx.
import { register } from 'tsx/esm/api';
register();
await import('../src/main.ts');
