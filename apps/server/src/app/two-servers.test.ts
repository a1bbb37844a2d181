import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from './build-app';
import { ADMIN_PASSWORD, Client, createTestApp, createTestRuntime, postgresAvailable, seedAgency, type TestApp, type TestRuntime } from '../test/harness';

// The server keeps no state of its own apart from the database and the blob store: two server
// processes on one PostgreSQL serve the same users.
const PG = await postgresAvailable();

describe.runIf(PG)('two servers on one PostgreSQL', () => {
  let a: TestApp;
  let bRuntime: TestRuntime;
  afterAll(async () => {
    await bRuntime?.cleanup();
    await a?.cleanup();
  });

  it('a session opened on one server works on the other, and logout on one ends it on both', async () => {
    a = await createTestApp('postgres');
    await seedAgency(a.deps);
    // Second "process": its own connection pool, its own Fastify instance, same schema and keys.
    bRuntime = await createTestRuntime('postgres', { dir: a.dir, pgSchema: a.pgSchema! });
    bRuntime.clock.current = a.clock.current;
    const bApp = await buildApp(bRuntime.deps, { serveWeb: false });
    await bApp.ready();
    try {
      const onA = new Client(a.app, a.clock);
      await onA.signIn('admin', ADMIN_PASSWORD);
      const onB = new Client(bApp, bRuntime.clock);
      onB.cookie = onA.cookie;
      onB.csrf = onA.csrf;
      bRuntime.clock.current = a.clock.current;
      const units = await onB.get('/api/units');
      expect(units.statusCode).toBe(200);
      const created = await onB.post('/api/units', { name: 'Phòng Lãnh sự', code: 'LS', parentId: units.json().items[0].id });
      expect(created.statusCode).toBe(200);
      expect((await onA.get('/api/units')).json().items).toHaveLength(2);
      await onA.post('/api/auth/logout');
      expect((await onB.get('/api/units')).statusCode).toBe(401);
    } finally {
      await bApp.close();
    }
  });
});
