import argon2 from 'argon2';

export interface PasswordHasherOptions {
  /** KiB; 64 MiB in production (DESIGN.md), lower only in tests. */
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

export const PRODUCTION_ARGON2: PasswordHasherOptions = { memoryCost: 65536, timeCost: 3, parallelism: 4 };
export const TEST_ARGON2: PasswordHasherOptions = { memoryCost: 1024, timeCost: 2, parallelism: 1 };

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
  /** Spends the same effort as a verify, for unknown user names (no account enumeration by timing). */
  dummyVerify(password: string): Promise<void>;
}

export function createPasswordHasher(opts: PasswordHasherOptions): PasswordHasher {
  let dummy: Promise<string> | undefined;
  const hash = (password: string) => argon2.hash(password, { type: argon2.argon2id, ...opts });
  return {
    hash,
    async verify(h, password) {
      try {
        return await argon2.verify(h, password);
      } catch {
        return false;
      }
    },
    async dummyVerify(password) {
      dummy ??= hash('khomat-dummy-password-for-timing');
      await argon2.verify(await dummy, password).catch(() => false);
    },
  };
}
