// Fixtures for editor features mark the cursor with `|`, a character the sptls
// language never uses.
export function withCursor(marked: string): { text: string; offset: number } {
  const offset = marked.indexOf('|');
  if (offset < 0 || marked.indexOf('|', offset + 1) >= 0) throw new Error(`fixture needs exactly one '|' cursor: ${marked}`);
  return { text: marked.slice(0, offset) + marked.slice(offset + 1), offset };
}
