import type { Command } from 'commander';

// Wired once the backup module lands (platform/backup).
export function backupCommands(_program: Command): void {}
