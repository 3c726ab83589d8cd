import { expect } from 'chai';
import { Agent } from 'undici';
import type { SwiftSession } from '../src/swift-auth.js';
import { SwiftClient } from '../src/swift-client.js';
import { localSwift } from './support/swift-target.js';

describe('swift client sessions', () => {
  const dispatcher = new Agent();
  after(() => dispatcher.close());

  it('renews a Keystone token a minute before it expires, and keeps it until then', async () => {
    const running = await localSwift();
    let now = Date.parse('2026-11-29T10:00:00Z');
    let logins = 0;
    const login = async (): Promise<SwiftSession> => {
      logins += 1;
      const response = await fetch(running.swift.authUrl, {
        headers: { 'x-auth-user': running.swift.user, 'x-auth-key': running.swift.key },
      });
      return {
        token: String(response.headers.get('x-auth-token')),
        storageUrl: String(response.headers.get('x-storage-url')),
        expiresAt: new Date(now + 10 * 60_000),
      };
    };
    const client = new SwiftClient({
      auth: { authUrl: running.swift.authUrl, username: 'unused', password: 'unused' },
      dispatcher,
      maxAttempts: 1,
      requestTimeoutMs: 5_000,
      login,
      now: () => now,
    });
    const account = () => client.call({ method: 'HEAD', path: '' });
    await account();
    now += 8 * 60_000; // two minutes left
    await account();
    expect(logins).to.equal(1);
    now += 90_000; // thirty seconds left: one new login, however many requests want it
    await Promise.all([account(), account(), account()]);
    expect(logins).to.equal(2);
    await account();
    expect(logins).to.equal(2);
  });

  it('logs in once for many requests that start together', async () => {
    const running = await localSwift();
    let logins = 0;
    const client = new SwiftClient({
      auth: {
        authUrl: running.swift.authUrl,
        username: running.swift.user,
        password: running.swift.key,
      },
      dispatcher,
      maxAttempts: 1,
      requestTimeoutMs: 5_000,
      login: async () => {
        logins += 1;
        const response = await fetch(running.swift.authUrl, {
          headers: { 'x-auth-user': running.swift.user, 'x-auth-key': running.swift.key },
        });
        return {
          token: String(response.headers.get('x-auth-token')),
          storageUrl: String(response.headers.get('x-storage-url')),
        };
      },
    });
    await Promise.all(Array.from({ length: 10 }, () => client.call({ method: 'HEAD', path: '' })));
    expect(logins).to.equal(1);
  });
});
