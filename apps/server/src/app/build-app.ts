import fs from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { commonErrors } from '../platform/errors';
import { auditRoutes } from '../modules/audit/audit.routes';
import { catalogRoutes } from '../modules/catalog/catalog.routes';
import { itemsRoutes } from '../modules/items/items.routes';
import { classificationRoutes } from '../modules/classification/classification.routes';
import { dispatchRoutes } from '../modules/dispatch/dispatch.routes';
import { copiesRoutes } from '../modules/copies/copies.routes';
import { copyingRoutes } from '../modules/copying/copying.routes';
import { registersRoutes } from '../modules/registers/registers.routes';
import { searchRoutes } from '../modules/search/search.routes';
import { attachmentsRoutes } from '../modules/attachments/attachments.routes';
import { notificationsRoutes } from '../modules/notifications/notifications.routes';
import { delegationsRoutes } from '../modules/delegations/delegations.routes';
import { requestsRoutes } from '../modules/requests/requests.routes';
import { requestScansRoutes } from '../modules/requests/request-scans.routes';
import { authRoutes } from '../modules/auth/auth.routes';
import { healthRoutes } from '../modules/health/health.routes';
import { orgRoutes } from '../modules/org/org.routes';
import { setupRoutes } from '../modules/setup/setup.routes';
import { takeOutRoutes } from '../modules/take-out/take-out.routes';
import { copyExecutionRoutes } from '../modules/copying/copy-execution.routes';
import { provisionRoutes } from '../modules/provision/provision.routes';
import { SESSION_COOKIE } from '../modules/auth/session-cookie';
import { classifyRoutes, CSRF_HEADER, installAuthHooks, isApiPath, operationSecurity } from './auth-hooks';
import type { AppDeps } from '../kernel/context';
import { installErrorHandler } from './error-handler';
import { LOG_SERIALIZERS } from './log-serializers';

/** The module registry: every capability contributes its routes here, once. */
export const ROUTE_MODULES = [
  healthRoutes,
  setupRoutes,
  authRoutes,
  orgRoutes,
  auditRoutes,
  catalogRoutes,
  itemsRoutes,
  classificationRoutes,
  dispatchRoutes,
  copiesRoutes,
  copyingRoutes,
  registersRoutes,
  searchRoutes,
  attachmentsRoutes,
  notificationsRoutes,
  delegationsRoutes,
  requestsRoutes,
  requestScansRoutes,
  takeOutRoutes,
  copyExecutionRoutes,
  provisionRoutes,
];

export interface ApiRoute {
  method: string;
  url: string;
  access: string;
  csrfExempt: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    apiRoutes: ApiRoute[];
  }
}

export interface BuildAppOptions {
  logger?: boolean | object;
  /** Serve the built web UI (off in API tests). */
  serveWeb?: boolean;
}

/** Composition root shared by the server, the CLI and the tests (CONVENTIONS.md habit 10). */
export async function buildApp(deps: AppDeps, opts: BuildAppOptions = {}): Promise<FastifyInstance> {
  const logger = opts.logger === true ? {} : opts.logger;
  const app = Fastify({
    // Whatever the caller configures, requests and errors are logged through our serializers.
    logger: logger ? { ...logger, serializers: { ...(logger as { serializers?: object }).serializers, ...LOG_SERIALIZERS } } : false,
    bodyLimit: 1024 * 1024,
    trustProxy: false,
    genReqId: () => deps.ids(),
    // No automatic HEAD twins of GET routes: a HEAD on a file download or on content would run the
    // handler, write its audit event ("read") and deliver nothing.
    exposeHeadRoutes: false,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app, deps.storage);

  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        // Ant Design injects its CSS-in-JS styles at run time.
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
        'connect-src': ["'self'"],
        'font-src': ["'self'", 'data:'],
        'object-src': ["'none'"],
        'frame-ancestors': ["'none'"],
        'upgrade-insecure-requests': null,
      },
    },
    // Behind HTTPS (secure cookies on) the browser must never again come over plain HTTP, where
    // the session cookie could be read or a page forged; on plain HTTP the header means nothing.
    hsts: deps.config.secureCookie ? { maxAge: 31_536_000, includeSubDomains: false, preload: false } : false,
  });
  await app.register(cookie);
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: () => commonErrors.rateLimited(),
  });

  // Before any route is registered (the API description's too): every route is classified by its
  // own path, and every one gets the auth and cache hooks.
  classifyRoutes(app);
  installAuthHooks(app, deps);
  await app.register(swagger, {
    openapi: {
      info: { title: 'KhoMật API', version: '0.1.0', description: 'API quản lý tài liệu, vật chứa bí mật nhà nước' },
      components: {
        securitySchemes: {
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: SESSION_COOKIE,
            description: 'Cookie phiên làm việc, nhận khi đăng nhập (và cấp mới sau bước TOTP, đăng ký TOTP, đổi mật khẩu).',
          },
          csrf: {
            type: 'apiKey',
            in: 'header',
            name: CSRF_HEADER,
            description: 'Mã chống giả mạo: trường csrfToken của phiên (SessionState), bắt buộc với mọi yêu cầu thay đổi dữ liệu.',
          },
        },
      },
    },
    // Each operation declares what the auth hook will demand of it, from the same route config.
    transform: (input) => {
      const out = jsonSchemaTransform(input);
      if (!isApiPath(input.url) || (out.schema as { hide?: boolean } | undefined)?.hide) return out;
      return { ...out, schema: { ...out.schema, security: operationSecurity([input.route.method].flat(), input.route.config) } };
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', uiConfig: { validatorUrl: null } as object });

  // The list of API routes with their access level: the authorization matrix test walks it.
  const apiRoutes: ApiRoute[] = [];
  app.decorate('apiRoutes', apiRoutes);
  app.addHook('onRoute', (r) => {
    const methods = Array.isArray(r.method) ? r.method : [r.method];
    if (!isApiPath(r.url) || r.url.startsWith('/api/docs')) return;
    const [access, csrfExempt] = [r.config?.access ?? 'full', r.config?.csrfExempt === true];
    for (const m of methods) if (m !== 'HEAD') apiRoutes.push({ method: m, url: r.url, access, csrfExempt });
  });
  for (const mod of ROUTE_MODULES) await app.register(mod(deps));

  if (opts.serveWeb ?? true) await serveWeb(app, deps.config.webDir);
  return app;
}

/** Files under assets/ carry a content hash in their names: a new build means new names. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';

function webCacheControl(webDir: string, file: string): string {
  const rel = path.relative(webDir, file);
  return rel.startsWith(`assets${path.sep}`) ? IMMUTABLE : 'no-cache';
}

async function serveWeb(app: FastifyInstance, webDir: string): Promise<void> {
  const index = path.join(webDir, 'index.html');
  if (!fs.existsSync(index)) {
    app.get('/', (_req, reply) => {
      reply
        .type('text/html; charset=utf-8')
        .send(
          '<!doctype html><html lang="vi"><meta charset="utf-8"><title>KhoMật</title><p>Giao diện web chưa được xây dựng. Chạy <code>npm run build:web</code> rồi khởi động lại.</p></html>',
        );
    });
    return;
  }
  await app.register(fastifyStatic, {
    root: webDir,
    wildcard: false,
    index: false,
    // The build writes .br and .gz copies of its text files (apps/web/vite.config.ts): the
    // copy the browser accepts is sent, with Content-Encoding and Vary: Accept-Encoding.
    preCompressed: true,
    cacheControl: false,
    setHeaders: (reply, file) => reply.header('cache-control', webCacheControl(webDir, file)),
  });
  const html = fs.readFileSync(index, 'utf8');
  const sendIndex = (_req: unknown, reply: import('fastify').FastifyReply) =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(html);
  app.get('/', sendIndex);
  // Client-side routes: any non-API GET that is not a file gets the app.
  app.get('/*', (req, reply) => {
    if (req.url.startsWith('/api/')) {
      return reply.status(404).send({ error: { code: 'common.route_not_found', message: 'Không tìm thấy địa chỉ yêu cầu.', requestId: req.id } });
    }
    return sendIndex(req, reply);
  });
}
