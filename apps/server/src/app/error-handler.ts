import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { commonErrors, diskFullCause, isDomainError, type DomainError, type ErrorKind } from '../platform/errors';
import type { StorageHealth } from '../platform/storage-health';

const STATUS: Record<ErrorKind, number> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unprocessable: 422,
  rate_limited: 429,
  integrity: 422,
  storage_full: 507,
};

export interface ErrorBody {
  error: { code: string; message: string; requestId: string; details?: unknown };
}

/** Fastify's own client errors, translated into stable codes with a Vietnamese message. */
const FRAMEWORK_ERRORS: Record<string, { code: string; message: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'common.too_large', message: 'Dữ liệu gửi lên quá lớn.' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'common.unsupported_media_type', message: 'Định dạng dữ liệu gửi lên không được hỗ trợ (cần JSON).' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'common.validation', message: 'Thiếu dữ liệu gửi lên.' },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'common.invalid_json', message: 'Dữ liệu gửi lên không phải JSON hợp lệ.' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'common.validation', message: 'Độ dài dữ liệu không hợp lệ.' },
};

const domainBody = (err: DomainError, requestId: string): ErrorBody => ({
  error: { code: err.code, message: err.message, requestId, ...(err.details ? { details: err.details } : {}) },
});

/**
 * One mapper from errors to HTTP (CONVENTIONS.md habit 8). Unknown errors give a bare 500. A write
 * refused for lack of space, from a file, SQLite or PostgreSQL, is a 507 with its own code, and
 * `storage` remembers it for the health endpoint until a state-changing request succeeds again.
 */
export function installErrorHandler(app: FastifyInstance, storage: StorageHealth): void {
  app.addHook('onResponse', async (request, reply) => {
    if (request.method !== 'GET' && reply.statusCode < 400) storage.recordWriteSucceeded();
  });
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const requestId = request.id;
    const full = diskFullCause(err);
    if (full) {
      storage.recordFull(full);
      // Named as the operator knows it (df, ENOSPC), whichever layer noticed; the rest of the error
      // (a ROLLBACK that failed after it, say) does not hide it.
      request.log.error({ cause: full, err }, 'write refused: no space left on device (ENOSPC)');
      return reply.status(STATUS.storage_full).send(domainBody(commonErrors.diskFull(), requestId));
    }
    if (isDomainError(err)) return reply.status(STATUS[err.kind]).send(domainBody(err, requestId));
    if (hasZodFastifySchemaValidationErrors(err)) {
      const issues = err.validation.map((v) => ({ path: v.instancePath || '/', message: v.message }));
      return reply.status(400).send({ error: { code: 'common.validation', message: 'Dữ liệu gửi lên không hợp lệ.', requestId, details: { issues } } });
    }
    if (err.code === 'FST_ERR_VALIDATION') {
      return reply.status(400).send({ error: { code: 'common.validation', message: 'Dữ liệu gửi lên không hợp lệ.', requestId } });
    }
    const known = err.code ? FRAMEWORK_ERRORS[err.code] : undefined;
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const fallback =
        status === 429
          ? { code: 'common.rate_limited', message: 'Bạn đã gửi quá nhiều yêu cầu. Hãy thử lại sau ít phút.' }
          : { code: 'common.bad_request', message: 'Yêu cầu không hợp lệ.' };
      const e = known ?? fallback;
      return reply.status(status).send({ error: { ...e, requestId } });
    }
    // Never echo internals: the log gets the error (no secret content is ever in an error), the client a bare 500.
    request.log.error({ err }, 'unhandled error');
    return reply.status(500).send({ error: { code: 'common.internal', message: 'Lỗi hệ thống. Hãy báo quản trị viên kèm mã yêu cầu.', requestId } });
  });

  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send({ error: { code: 'common.route_not_found', message: 'Không tìm thấy địa chỉ yêu cầu.', requestId: request.id } });
  });
}
