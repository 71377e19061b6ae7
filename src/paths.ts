// The project's root folder (where package.json, views/ and prisma/ live), whether the code runs from
// src/ (tsx) or from dist/src/ (compiled).
import fs from 'node:fs';
import path from 'node:path';

function findRoot(start: string): string {
  let dir = start;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}

export const PROJECT_ROOT = findRoot(__dirname);
export const fromRoot = (...parts: string[]): string => path.join(PROJECT_ROOT, ...parts);
