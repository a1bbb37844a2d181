export * from './levels';
export * from './roles';
export * from './permissions';
