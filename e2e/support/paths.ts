import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const WEB_DIST = path.join(ROOT, 'apps', 'web', 'dist');
export const RESULTS_DIR = path.join(ROOT, 'test-results', 'e2e');
export const CHROMIUM = '/usr/bin/chromium';
