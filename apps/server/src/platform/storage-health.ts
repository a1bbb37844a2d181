import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Clock } from './clock';
import type { DiskFullCause } from './errors';

export interface StorageState {
  storage: 'ok' | 'full';
  /** When a write was last refused for lack of space (ISO time); absent while `ok`. */
  fullSince?: string;
  fullLastSeen?: string;
}

export interface StorageHealthDeps {
  clock: Clock;
  /** Free bytes where the data lives (statfs of the data directory). */
  freeBytes: () => Promise<number>;
  /** Free space from which a free-space check ends the "full" condition. */
  enoughBytes: number;
}

/** Free bytes available to this process on the file system holding `dir` (or its nearest existing parent). */
export async function freeBytesAt(dir: string): Promise<number> {
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    try {
      const s = await fsp.statfs(at);
      return s.bavail * s.bsize;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || path.dirname(at) === at) throw e;
    }
  }
}

/**
 * Remembers that a write was refused for lack of space, for the health endpoint, until a write
 * succeeds again or a free-space check finds room (an operator freed space, nothing wrote since).
 */
export class StorageHealth {
  private since: Date | undefined;
  private lastSeen: Date | undefined;
  private lastCause: DiskFullCause | undefined;

  constructor(private readonly deps: StorageHealthDeps) {}

  recordFull(cause: DiskFullCause): void {
    const now = this.deps.clock.now();
    this.since ??= now;
    this.lastSeen = now;
    this.lastCause = cause;
  }

  recordWriteSucceeded(): void {
    this.since = undefined;
    this.lastSeen = undefined;
    this.lastCause = undefined;
  }

  get cause(): DiskFullCause | undefined {
    return this.lastCause;
  }

  /** The state for the health endpoint; while `full`, checks the free space first. */
  async state(): Promise<StorageState> {
    if (this.since && (await this.roomAgain())) this.recordWriteSucceeded();
    if (!this.since || !this.lastSeen) return { storage: 'ok' };
    return { storage: 'full', fullSince: this.since.toISOString(), fullLastSeen: this.lastSeen.toISOString() };
  }

  /** The free-space check (statfs where the data lives). */
  async freeBytes(): Promise<number> {
    return this.deps.freeBytes();
  }

  private async roomAgain(): Promise<boolean> {
    try {
      return (await this.freeBytes()) >= this.deps.enoughBytes;
    } catch {
      // Cannot tell: keep reporting what the last write said.
      return false;
    }
  }
}
