// Messages between the diagram webview and the extension, and the two pure steps on
// either side of a click: element → reveal request (runs in the webview) and reveal
// request → editor selection (runs in the extension). No vscode import, so tests
// drive a full round trip with fakes.

export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'reveal'; start: number; end: number };

export type HostMessage =
  | { type: 'render'; svg: string }
  | { type: 'error'; message: string };

/** The little of a DOM element the click handler reads. */
export interface ElementLike {
  getAttribute?(name: string): string | null;
  parentNode?: ElementLike | null;
}

/**
 * The reveal request for a click: the nearest element (itself or an ancestor) with
 * source offsets. It is shipped into the webview as source text, so it must use
 * nothing but its argument.
 */
export function revealMessageFor(target: ElementLike | null | undefined): WebviewMessage | null {
  for (let el = target; el; el = el.parentNode) {
    const start = typeof el.getAttribute === 'function' ? el.getAttribute('data-start') : null;
    if (start === null) continue;
    const end = el.getAttribute!('data-end');
    return { type: 'reveal', start: Number(start), end: Number(end ?? start) };
  }
  return null;
}

/** Checks what the webview posted: it is outside the extension's trust. */
export function parseWebviewMessage(raw: unknown): WebviewMessage | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const m = raw as Record<string, unknown>;
  if (m.type === 'ready') return { type: 'ready' };
  if (m.type !== 'reveal') return null;
  const { start, end } = m;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end)) return null;
  if ((start as number) < 0 || (end as number) < (start as number)) return null;
  return { type: 'reveal', start: start as number, end: end as number };
}

/** An editor as the reveal step sees it; the extension adapts VS Code's TextEditor. */
export interface RevealTarget {
  /** Length of the document now: it may have changed since the diagram was drawn. */
  readonly textLength: number;
  select(start: number, end: number): void;
}

/** Selects the clicked declaration or connection; returns the range it selected. */
export function reveal(message: WebviewMessage, target: RevealTarget): { start: number; end: number } | null {
  if (message.type !== 'reveal') return null;
  const start = Math.min(message.start, target.textLength);
  const end = Math.min(message.end, target.textLength);
  target.select(start, end);
  return { start, end };
}
