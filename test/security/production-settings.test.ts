// Production refuses settings that would quietly weaken it: the built-in sandbox standing in for Clever (its
// invented districts would be synced into the production database) and a plain-http BASE_URL (session cookies
// lose Secure and the __Host- prefix). Each has an explicit, documented switch (docs/configuration.md).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { fromRoot } from '../../src/paths';

const production = {
  NODE_ENV: 'production',
  SESSION_SECRET: 'production-session-secret-that-is-long-enough-0123',
  BASE_URL: 'https://learn.example.org',
};
const clever = { CLEVER_CLIENT_ID: 'real-client', CLEVER_CLIENT_SECRET: 'real-secret' };

/** Starts the real server entry point; it must exit on its own (a started server would hit the timeout). */
function startServer(env: Record<string, string>) {
  const dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cp-prod-')), 'data');
  const run = spawnSync(fromRoot('node_modules', '.bin', 'tsx'), [fromRoot('src', 'server.ts')], {
    env: { PATH: process.env.PATH, PORT: '0', SANDBOX_PORT: '0', DATA_DIR: dataDir, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { ...run, touchedData: fs.existsSync(dataDir) };
}

describe('production settings', () => {
  it('refuses to start without Clever credentials, before touching any data, naming the switch', () => {
    const run = startServer(production);
    expect(run.status).not.toBe(0);
    expect(run.signal).toBeNull(); // it exited by itself
    expect(run.stderr).toMatch(/CLEVER_CLIENT_ID: required when NODE_ENV=production/);
    expect(run.stderr).toMatch(/USE_SANDBOX=true/);
    expect(run.stdout).not.toMatch(/sandbox/i);
    expect(run.touchedData).toBe(false);
  });

  it('runs the sandbox in production only when USE_SANDBOX=true asks for it', () => {
    expect(loadConfig({ ...production, USE_SANDBOX: 'true' }).sandbox).not.toBeNull();
    expect(loadConfig({ ...production, ...clever }).sandbox).toBeNull();
  });

  it('refuses an http:// BASE_URL, naming the switch for a deliberate plain-http deployment', () => {
    const run = startServer({ ...production, ...clever, BASE_URL: 'http://learn.example.org' });
    expect(run.status).not.toBe(0);
    expect(run.signal).toBeNull();
    expect(run.stderr).toMatch(/BASE_URL: must be the public https:\/\/ URL/);
    expect(run.stderr).toMatch(/ALLOW_HTTP_BASE_URL=true/);
    expect(run.touchedData).toBe(false);
  });

  it('keeps Secure __Host- cookies for an https BASE_URL behind a TLS-terminating proxy', () => {
    const behindProxy = loadConfig({ ...production, ...clever, TRUST_PROXY: '1' });
    expect(behindProxy.session.secureCookies).toBe(true);
    const plain = loadConfig({
      ...production,
      ...clever,
      BASE_URL: 'http://learn.example.org',
      ALLOW_HTTP_BASE_URL: 'true',
    });
    expect(plain.session.secureCookies).toBe(false);
  });
});
