import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { advisoryLockKeys } from './advisory-locks.js';

const srcDir = join(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('advisory lock keys', () => {
  it('are all different', () => {
    const keys = Object.values(advisoryLockKeys);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('are named in advisory-locks.ts only: no lock call and no 727_100_xxx number elsewhere', () => {
    const offenders = sourceFiles(srcDir)
      .filter((file) => !file.endsWith('advisory-locks.ts'))
      .filter((file) => {
        const text = readFileSync(file, 'utf8');
        return /pg_(try_)?advisory_(xact_)?(un)?lock(_shared)?\(\s*\d/.test(text) || /727_?100_?\d{3}/.test(text);
      })
      .map((file) => file.slice(srcDir.length + 1));
    expect(offenders).toEqual([]);
  });
});
