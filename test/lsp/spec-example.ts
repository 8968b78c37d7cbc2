// The shared contract folder and the spec's first example, which editor-feature
// tests use as a realistic topology.
import { readFileSync } from 'node:fs';

export const SHARED = new URL('../../../shared/', import.meta.url);

/** The first ```sptls block of the language specification (§1). */
export function specExample(): string {
  const spec = readFileSync(new URL('spec/language.md', SHARED), 'utf8');
  const m = /```sptls\n([\s\S]*?)```/.exec(spec);
  if (!m) throw new Error('no sptls example in the spec');
  return m[1]!;
}
