export { buildApp } from './app/build-app';
export { openRuntime, sqliteFileFor } from './app/runtime';
export { loadConfig, type Config } from './platform/config';
