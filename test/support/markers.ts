// Fixture markers for editor-feature tests: `|` marks a cursor (it never occurs in
// the language) and `<<…>>` marks an expected range. Markers are removed and their
// offsets refer to the text without them.
export interface Span {
  start: number;
  end: number;
}

export interface Marked {
  text: string;
  /** Offsets of every `|`, in order. */
  cursors: number[];
  /** Every `<<…>>` range, in order of its `<<`. */
  ranges: Span[];
}

export function marked(source: string): Marked {
  let text = '';
  const cursors: number[] = [];
  const ranges: Span[] = [];
  const open: number[] = [];
  for (let i = 0; i < source.length; i++) {
    if (source[i] === '|') { cursors.push(text.length); continue; }
    if (source.startsWith('<<', i)) { open.push(ranges.length); ranges.push({ start: text.length, end: -1 }); i++; continue; }
    if (source.startsWith('>>', i)) {
      const index = open.pop();
      if (index === undefined) throw new Error(`unmatched >> at ${i} in fixture`);
      ranges[index]!.end = text.length;
      i++;
      continue;
    }
    text += source[i];
  }
  if (open.length > 0) throw new Error('unmatched << in fixture');
  return { text, cursors, ranges };
}

/** A fixture with exactly one `|`. */
export function withCursor(source: string): { text: string; offset: number } {
  const m = marked(source);
  if (m.cursors.length !== 1) throw new Error(`expected one | cursor in fixture, found ${m.cursors.length}`);
  return { text: m.text, offset: m.cursors[0]! };
}
