export { buildApp } from './app/build-app';
export { openRuntime } from './app/runtime';
export { sqliteFileFor } from './platform/data-paths';
export { loadConfig, type Config } from './platform/config';
