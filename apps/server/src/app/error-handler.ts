import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isDomainError, type ErrorKind } from '../platform/errors';

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

/** One mapper from errors to HTTP (CONVENTIONS.md habit 8). Unknown errors give a bare 500. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const requestId = request.id;
    if (isDomainError(err)) {
      const body: ErrorBody = { error: { code: err.code, message: err.message, requestId, ...(err.details ? { details: err.details } : {}) } };
      return reply.status(STATUS[err.kind]).send(body);
    }
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
      const fallback = status === 429 ? { code: 'common.rate_limited', message: 'Bạn đã gửi quá nhiều yêu cầu. Hãy thử lại sau ít phút.' } : { code: 'common.bad_request', message: 'Yêu cầu không hợp lệ.' };
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
