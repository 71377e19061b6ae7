// A user whose Clever record is exactly as last time is skipped by its source digest; the digest must change
// whenever something else that decides what the record becomes here changes: the code, or the district's schools.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { codeFingerprint, sourceDigestOf } from '../../src/db/sync-digest';
import { userSourceSalt } from '../../src/sync/write/write-users';

describe('source digests of Clever records', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cp-fingerprint-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('changes with any change to the code that maps a record, and never matches when that code cannot be read or found', () => {
    const file = path.join(dir, 'map.js');
    const resolve = (module: string) => path.join(dir, `${module}.js`);
    fs.writeFileSync(file, 'export const map = (u) => u.name;');
    const before = codeFingerprint(['map'], resolve);
    expect(codeFingerprint(['map'], resolve)).toBe(before);
    fs.writeFileSync(file, 'export const map = (u) => u.name.trim();');
    expect(codeFingerprint(['map'], resolve)).not.toBe(before);
    expect(codeFingerprint(['gone'], resolve)).not.toBe(codeFingerprint(['gone'], resolve));
    // A bundled build: the module names resolve to nothing (require.resolve throws); the sync must still run.
    const bundled = () => {
      throw Object.assign(new Error("Cannot find module '../map'"), { code: 'MODULE_NOT_FOUND' });
    };
    expect(codeFingerprint(['map'], bundled)).not.toBe(codeFingerprint(['map'], bundled));
  });

  it('changes when a school appears in the district, whatever order the schools are listed in', () => {
    const schools = new Map([
      ['s1', 'a'],
      ['s2', 'b'],
    ]);
    const salt = userSourceSalt(schools);
    expect(userSourceSalt(new Map([...schools].reverse()))).toBe(salt);
    expect(userSourceSalt(new Map([...schools, ['s3', 'c']]))).not.toBe(salt);
    const record = { id: 'u1', name: { first: 'Ada' } };
    expect(sourceDigestOf(salt, record)).toBe(sourceDigestOf(salt, { id: 'u1', name: { first: 'Ada' } }));
    expect(sourceDigestOf(salt, record)).not.toBe(sourceDigestOf(salt, { id: 'u1', name: { first: 'Ad' } }));
    expect(sourceDigestOf(salt, record)).not.toBe(sourceDigestOf(userSourceSalt(new Map()), record));
  });
});
