import path from 'node:path';
import { z } from 'zod';

// One validated configuration (CONVENTIONS.md habit 9). Every key: env variable, default, doc.
// From the environment a string; from a caller's overrides (tests, the CLI) already a boolean.
const bool = z.union([z.boolean(), z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')]);

/** One web origin, `scheme://host[:port]`, nothing after it; kept in the form browsers send. */
const webOrigin = z
  .string()
  .refine((v) => {
    const u = URL.canParse(v) ? new URL(v) : null;
    if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:')) return false;
    return !u.username && !u.password && u.pathname === '/' && !u.search && !u.hash && !v.endsWith('#');
  }, 'phải là một địa chỉ gốc dạng https://tên-máy[:cổng], không có đường dẫn (an origin, no path)')
  .transform((v) => new URL(v).origin);

/** A comma-separated list from the environment, or a list from the caller. */
const originList = z
  .union([
    z.string().transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== ''),
    ),
    z.array(z.string()),
  ])
  .pipe(z.array(webOrigin));

const schema = z
  .object({
    /** KHOMAT_ENV: development | production | test. */
    env: z.enum(['development', 'production', 'test']).default('production'),
    /** KHOMAT_HOST: address to listen on. */
    host: z.string().min(1).default('127.0.0.1'),
    /** KHOMAT_PORT: HTTP port. */
    port: z.coerce.number().int().min(0).max(65535).default(8080),
    /** KHOMAT_DATA_DIR: embedded database and encrypted blobs. */
    dataDir: z.string().min(1).default('./data'),
    /** KHOMAT_KEY_DIR: key ring (keep it apart from the data and from its backups). */
    keyDir: z.string().min(1).default('./keys'),
    /**
     * KHOMAT_KEY_PROVIDER: where master keys and the audit signing key live: `file` (the key ring
     * in KHOMAT_KEY_DIR) or `pkcs11` (an HSM; the key dir then holds only the wrapped database key).
     */
    keyProvider: z.enum(['file', 'pkcs11']).default('file'),
    /** KHOMAT_PKCS11_LIBRARY: the HSM's PKCS#11 module (default: Debian's SoftHSM2). */
    pkcs11Library: z.string().min(1).default('/usr/lib/softhsm/libsofthsm2.so'),
    /** KHOMAT_PKCS11_TOKEN: label of the token holding KhoMật's keys. */
    pkcs11Token: z.string().min(1).max(32).default('khomat'),
    /** KHOMAT_PKCS11_PIN: user PIN of the token (prefer KHOMAT_PKCS11_PIN_FILE). Never logged. */
    pkcs11Pin: z.string().min(1).optional(),
    /** KHOMAT_PKCS11_PIN_FILE: a file (mode 0600/0400) holding the user PIN; one of the two is required with pkcs11. */
    pkcs11PinFile: z.string().min(1).optional(),
    /** DATABASE_URL: PostgreSQL connection string; unset = embedded SQLite. */
    databaseUrl: z.string().url().optional(),
    /** KHOMAT_LOGIN_MAX_FAILURES: failed logins before the account locks. */
    loginMaxFailures: z.coerce.number().int().min(1).max(100).default(5),
    /** KHOMAT_LOGIN_LOCK_MINUTES: how long a locked account stays locked. */
    loginLockMinutes: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(15),
    /** KHOMAT_SESSION_IDLE_MINUTES: idle timeout of a session. */
    sessionIdleMinutes: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(15),
    /** KHOMAT_SESSION_ABSOLUTE_HOURS: absolute lifetime of a session. */
    sessionAbsoluteHours: z.coerce.number().int().min(1).max(72).default(8),
    /** KHOMAT_LOGIN_RATE_PER_MINUTE: login attempts per IP per minute. */
    loginRatePerMinute: z.coerce.number().int().min(1).max(10_000).default(20),
    /** KHOMAT_AUDIT_CHECKPOINT_EVERY: a signed checkpoint every N audit events. */
    auditCheckpointEvery: z.coerce.number().int().min(1).max(100_000).default(100),
    /**
     * KHOMAT_AUDIT_CHECKPOINT_SECONDS: the server also signs the audit head every N seconds when it
     * moved, so the unsigned tail of the chain is at most this old (docs/architecture.md).
     */
    auditCheckpointSeconds: z.coerce.number().int().min(1).max(86_400).default(60),
    /**
     * KHOMAT_JOBS_SECONDS: how often the server runs its periodic jobs (app/jobs.ts: telling of
     * overdue take-outs). Each job tells about a thing once, so a short period repeats nothing.
     */
    jobsSeconds: z.coerce.number().int().min(1).max(86_400).default(300),
    /** KHOMAT_SECURE_COOKIE: set the Secure flag on cookies (behind HTTPS). */
    secureCookie: bool.default(false),
    /**
     * KHOMAT_ALLOWED_ORIGINS: other web origins (comma-separated, `https://host[:port]`) whose pages
     * may send state-changing requests, besides the server's own (its Host header and scheme).
     */
    allowedOrigins: originList.default([]),
    /** KHOMAT_LOG_LEVEL */
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /**
     * KHOMAT_MAX_UPLOAD_MB: largest attached file (scan, Word/PDF of an electronic document), in MiB.
     * Uploads stream to the encrypted blob store, so this bounds disk use and upload time, not memory.
     */
    maxUploadMb: z.coerce.number().int().min(1).max(100_000).default(200),
    /**
     * KHOMAT_LEFTOVER_GRACE_MINUTES: at start the server removes what a crash can leave in the blob
     * store — half-written `.part` files and encrypted files without a database row (undecryptable:
     * their key was in the row) — once they are older than this, so an upload still in progress in
     * another process is never touched.
     */
    leftoverGraceMinutes: z.coerce
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 60)
      .default(60),
    /** KHOMAT_WEB_DIR: the built web UI to serve. */
    webDir: z
      .string()
      .min(1)
      .default(path.resolve(import.meta.dirname, '../../../web/dist')),
  })
  .superRefine((c, ctx) => {
    if (c.keyProvider !== 'pkcs11') return;
    if (c.pkcs11Pin === undefined && c.pkcs11PinFile === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['pkcs11Pin'],
        message: 'cần KHOMAT_PKCS11_PIN hoặc KHOMAT_PKCS11_PIN_FILE khi KHOMAT_KEY_PROVIDER=pkcs11 (PIN required)',
      });
    } else if (c.pkcs11Pin !== undefined && c.pkcs11PinFile !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['pkcs11PinFile'], message: 'chỉ đặt một trong KHOMAT_PKCS11_PIN và KHOMAT_PKCS11_PIN_FILE (set only one)' });
    }
  });

export type Config = z.infer<typeof schema>;

const ENV_KEYS: Record<keyof Config, string> = {
  env: 'KHOMAT_ENV',
  host: 'KHOMAT_HOST',
  port: 'KHOMAT_PORT',
  dataDir: 'KHOMAT_DATA_DIR',
  keyDir: 'KHOMAT_KEY_DIR',
  keyProvider: 'KHOMAT_KEY_PROVIDER',
  pkcs11Library: 'KHOMAT_PKCS11_LIBRARY',
  pkcs11Token: 'KHOMAT_PKCS11_TOKEN',
  pkcs11Pin: 'KHOMAT_PKCS11_PIN',
  pkcs11PinFile: 'KHOMAT_PKCS11_PIN_FILE',
  databaseUrl: 'DATABASE_URL',
  loginMaxFailures: 'KHOMAT_LOGIN_MAX_FAILURES',
  loginLockMinutes: 'KHOMAT_LOGIN_LOCK_MINUTES',
  sessionIdleMinutes: 'KHOMAT_SESSION_IDLE_MINUTES',
  sessionAbsoluteHours: 'KHOMAT_SESSION_ABSOLUTE_HOURS',
  loginRatePerMinute: 'KHOMAT_LOGIN_RATE_PER_MINUTE',
  auditCheckpointEvery: 'KHOMAT_AUDIT_CHECKPOINT_EVERY',
  auditCheckpointSeconds: 'KHOMAT_AUDIT_CHECKPOINT_SECONDS',
  jobsSeconds: 'KHOMAT_JOBS_SECONDS',
  secureCookie: 'KHOMAT_SECURE_COOKIE',
  allowedOrigins: 'KHOMAT_ALLOWED_ORIGINS',
  logLevel: 'KHOMAT_LOG_LEVEL',
  maxUploadMb: 'KHOMAT_MAX_UPLOAD_MB',
  leftoverGraceMinutes: 'KHOMAT_LEFTOVER_GRACE_MINUTES',
  webDir: 'KHOMAT_WEB_DIR',
};

export const CONFIG_ENV_KEYS = ENV_KEYS;

/** Reads the configuration from the environment; throws with every bad key named. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const raw: Record<string, unknown> = {};
  for (const [key, envName] of Object.entries(ENV_KEYS)) {
    const v = env[envName];
    if (v !== undefined && v !== '') raw[key] = v;
  }
  const parsed = schema.safeParse({ ...raw, ...overrides });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      const k = i.path[0] as keyof Config | undefined;
      return `  ${k ? ENV_KEYS[k] : '?'}: ${i.message}`;
    });
    throw new Error(`Cấu hình không hợp lệ / invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
