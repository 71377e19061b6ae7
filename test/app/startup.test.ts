import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, ConfigError } from '../../src/config';
import { fromRoot } from '../../src/paths';
import { startChild } from '../ops/children';

const tsx = fromRoot('node_modules', '.bin', 'tsx');
const server = fromRoot('src', 'server.ts');

function runServer(env: Record<string, string>, timeoutMs = 20000) {
  return spawnSync(tsx, [server], {
    env: { PATH: process.env.PATH, ...env },
    encoding: 'utf8',
    timeout: timeoutMs,
  });
}

describe('configuration', () => {
  it('lists every bad key at once, by name', () => {
    let error: unknown;
    try {
      loadConfig({ DATABASE_URL: 'nonsense', PORT: 'abc', CLEVER_API_VERSION: 'v9' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(/DATABASE_URL/);
    expect(message).toMatch(/PORT/);
    expect(message).toMatch(/CLEVER_API_VERSION/);
  });

  it('requires both Clever credentials or neither', () => {
    expect(() => loadConfig({ CLEVER_CLIENT_ID: 'abc' })).toThrow(/CLEVER_CLIENT_SECRET/);
  });

  it('requires a session secret in production', () => {
    expect(() =>
      loadConfig({ NODE_ENV: 'production', CLEVER_CLIENT_ID: 'a', CLEVER_CLIENT_SECRET: 'b' }),
    ).toThrow(/SESSION_SECRET/);
  });

  const production = {
    NODE_ENV: 'production',
    SESSION_SECRET: 'production-session-secret-that-is-long-enough-0123',
    BASE_URL: 'https://learn.example.org',
  };

  it('refuses to start the sandbox in production unless it is asked for by name', () => {
    expect(() => loadConfig(production)).toThrow(/CLEVER_CLIENT_ID: required when NODE_ENV=production/);
    expect(loadConfig({ ...production, USE_SANDBOX: 'true' }).sandbox).not.toBeNull();
    expect(
      loadConfig({ ...production, CLEVER_CLIENT_ID: 'a', CLEVER_CLIENT_SECRET: 'b' }).sandbox,
    ).toBeNull();
  });

  it('refuses an http:// BASE_URL in production unless plain http is allowed explicitly', () => {
    const creds = { ...production, CLEVER_CLIENT_ID: 'a', CLEVER_CLIENT_SECRET: 'b' };
    expect(() => loadConfig({ ...creds, BASE_URL: 'http://learn.example.org' })).toThrow(/BASE_URL: must be/);
    expect(() => loadConfig({ ...creds, BASE_URL: '' })).toThrow(/BASE_URL: must be/);
    const allowed = loadConfig({
      ...creds,
      BASE_URL: 'http://learn.example.org',
      ALLOW_HTTP_BASE_URL: 'true',
    });
    expect(allowed.session.secureCookies).toBe(false);
    expect(loadConfig(creds).session.secureCookies).toBe(true);
  });

  it('wires the app to the sandbox when no Clever credentials are set', () => {
    const config = loadConfig({ SANDBOX_PORT: '4001' });
    expect(config.sandbox).not.toBeNull();
    expect(config.clever.apiUrl).toBe('http://localhost:4001');
    expect(config.clever.redirectUri).toBe('http://localhost:3000/auth/clever/callback');
  });

  it('stops the server at startup with a message naming the bad key', () => {
    const result = runServer({ DATABASE_URL: 'nonsense', PORT: 'abc' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/DATABASE_URL/);
    expect(result.stderr).toMatch(/PORT/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('the embedded database', () => {
  it('refuses a second process on the same data directory with a clear error', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cp-lock-'));
    const env = { DATA_DIR: dataDir, PORT: '0', SANDBOX_PORT: '0', LOG_LEVEL: 'info' };
    const first = startChild('first', server, env);
    try {
      await first.waitForLine((line) => line.includes('listening'), 45000);
      const second = runServer(env);
      expect(second.status).not.toBe(0);
      expect(second.stderr).toMatch(/in use by another process/);
    } finally {
      await first.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
