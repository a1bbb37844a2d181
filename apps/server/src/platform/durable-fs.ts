import fsp from 'node:fs/promises';

/**
 * Makes a rename or link inside `dir` durable by syncing the directory itself. Where a platform
 * cannot fsync a directory (EISDIR, EPERM, EINVAL), the change is as durable as that platform
 * makes it; any other failure is thrown.
 */
export async function syncDirectory(dir: string): Promise<void> {
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fsp.open(dir, 'r');
    await handle.sync();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL') throw e;
  } finally {
    await handle?.close();
  }
}
