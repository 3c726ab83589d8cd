import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import express from 'express';
import { createProjectsApi, type ProjectsModel } from '../../src/index.js';
import { dialects, openModel } from './dialects.js';
import { FakeRepositories } from './fake-repositories.js';

export const registryHost = 'registry.test:5000';
export const password = 'correct horse battery';

export type Json = Record<string, unknown>;

/** An answer of the API: status, headers and the parsed JSON body (if any). */
export interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The body, which must be a JSON object. */
  readonly json: Json;
  /** The body, which must be a JSON array of objects. */
  readonly list: Json[];
}

export interface RequestOptions {
  readonly body?: unknown;
  /** Sent as is with `content-type: application/json`, for malformed bodies. */
  readonly rawBody?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** The API in a real Express app on 127.0.0.1, as the reference server mounts it. */
export class ApiServer {
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(options: Parameters<typeof createProjectsApi>[0]): Promise<ApiServer> {
    const app = express();
    app.use('/api/v1', createProjectsApi(options));
    const server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => {
        resolve(listening);
      });
    });
    const { port } = server.address() as AddressInfo;
    return new ApiServer(server, `http://127.0.0.1:${String(port)}/api/v1`);
  }

  async request(method: string, path: string, options: RequestOptions = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...options.headers };
    let body: string | undefined = options.rawBody;
    if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
    });
    const text = await response.text();
    const parsed: unknown =
      response.headers.get('content-type')?.startsWith('application/json') === true
        ? JSON.parse(text)
        : undefined;
    return {
      status: response.status,
      headers: response.headers,
      text,
      get json(): Json {
        expect(parsed, `${method} ${path} answered ${text}`).to.be.an('object').and.not.an('array');
        return parsed as Json;
      },
      get list(): Json[] {
        expect(parsed, `${method} ${path} answered ${text}`).to.be.an('array');
        return parsed as Json[];
      },
    };
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => {
        resolve();
      });
    });
  }
}

export function basic(username: string, secret: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${username}:${secret}`).toString('base64')}` };
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

/** Expects an error reply: `status`, `{"error": code}` and, when given, the `field`. */
export function expectError(reply: Reply, status: number, code: string, field?: string): void {
  expect(reply.status, reply.text).to.equal(status);
  expect(reply.json.error, reply.text).to.equal(code);
  expect(reply.json.message).to.be.a('string').and.not.empty;
  if (field !== undefined) expect(reply.json.field, reply.text).to.equal(field);
}

/** What every API test gets: a model on a fresh database, the fake registry, the running API. */
export interface ApiWorld {
  readonly model: ProjectsModel;
  readonly repositories: FakeRepositories;
  readonly api: ApiServer;
  /** Errors the API reported through `onServerError`. */
  readonly serverErrors: unknown[];
  /** The clock of both the model (token expiry) and the API (`older_than`); tests move it. */
  readonly clock: { now: Date };
  /** Credentials of the admin every world starts with. */
  readonly admin: Record<string, string>;
}

export const startOfTime = new Date('2026-03-01T12:00:00Z');

/**
 * `describe`s `body` once per dialect; each test gets a fresh world whose
 * only user is the administrator `root`.
 */
export function describeApi(title: string, body: (world: () => ApiWorld) => void): void {
  for (const dialect of dialects) {
    describe(`${title} (${dialect.name})`, function () {
      this.timeout(120_000);
      let current: ApiWorld | undefined;
      beforeEach(async () => {
        const clock = { now: startOfTime };
        const now = (): Date => clock.now;
        const model = await openModel(dialect, { now });
        const repositories = new FakeRepositories();
        const serverErrors: unknown[] = [];
        const api = await ApiServer.start({
          model,
          repositories,
          registryHost,
          now,
          onServerError: (error) => serverErrors.push(error),
        });
        await model.users.create({
          username: 'root',
          email: 'root@example.com',
          password,
          admin: true,
        });
        current = {
          model,
          repositories,
          api,
          serverErrors,
          clock,
          admin: basic('root', password),
        };
      });
      afterEach(async () => {
        await current?.api.close();
        await current?.model.close();
        current = undefined;
      });
      body(() => {
        if (current === undefined) throw new Error('no world outside a test');
        return current;
      });
    });
  }
}
