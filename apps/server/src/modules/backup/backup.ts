// Logical, encrypted backup of one installation; restorable on either database. This file is
// the module's public face; the work is done a stage per file:
//
//   backup.format.ts    the file's format (its layout is described there), the table list, and
//                       what the stages share
//   backup.snapshot.ts  one consistent read of the database (SQLite or PostgreSQL)
//   backup.write.ts     createBackup
//   backup.read.ts      walking and checking a backup; verifyBackup
//   backup.restore.ts   restoreBackup, listDatabaseTables
//   backup.errors.ts    the errors of all of them

export { BACKUP_EXCLUDED_TABLES, BACKUP_TABLES, type BackupProgress, type BackupSummary, type BackupTable, type ProgressFn } from './backup.format';
export { createBackup, type BackupOptions } from './backup.write';
export { verifyBackup } from './backup.read';
export { listDatabaseTables, restoreBackup } from './backup.restore';
