// The diagram webview without VS Code: the page's CSP and nonces, the script it runs
// (driven with a fake DOM), and the click → reveal round trip through protocol.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contentSecurityPolicy, diagramPage } from '../../client/src/diagram/html.ts';
import { parseWebviewMessage, reveal, revealMessageFor, type ElementLike, type WebviewMessage } from '../../client/src/diagram/protocol.ts';
import { DIAGRAM_CSS } from '../../server/src/diagram/index.ts';
import { diagram } from '../../server/src/lsp/diagram.ts';
import { DocumentStore } from '../../server/src/lsp/documents.ts';
import { webviewMain } from '../../client/src/diagram/webview-script.ts';
import { parseXml, withClass } from './samples.ts';

const page = { cspSource: 'https://file+.vscode-resource.vscode-cdn.net', nonce: 'n0nce-VALUE_123', diagramCss: DIAGRAM_CSS };
const TOPOLOGY = 'ca Root { }\nserver S { certificate signed-by Root trusts Root }\nclient C { trusts Root }\nC -> S\n';

/** What the server's `sptls/diagram` answers for TOPOLOGY, open unsaved in the editor. */
async function drawn() {
  const documents = new DocumentStore({ expiryWarningDays: 30, maxDocumentSize: 4 * 1024 * 1024 });
  documents.open('untitled:Untitled-1', 3, TOPOLOGY);
  const result = await diagram('untitled:Untitled-1', documents, new Date('2026-01-01T00:00:00Z'));
  assert.ok(result);
  return result;
}

test('the page has a strict CSP and every script and style carries the nonce', () => {
  const html = diagramPage(page);
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html);
  assert.ok(csp, 'CSP meta tag');
  assert.equal(csp[1], contentSecurityPolicy(page));
  const directives = new Map(csp[1]!.split(';').map((d) => d.trim()).filter(Boolean).map((d) => [d.split(' ')[0]!, d.split(' ').slice(1)]));
  assert.deepEqual(directives.get('default-src'), ["'none'"]);
  assert.deepEqual(directives.get('script-src'), [`'nonce-${page.nonce}'`]);
  assert.ok(!csp[1]!.includes('unsafe-inline') && !csp[1]!.includes('unsafe-eval'));
  const scripts = [...html.matchAll(/<script\b([^>]*)>/g)];
  assert.ok(scripts.length >= 1);
  for (const s of scripts) assert.match(s[1]!, new RegExp(`nonce="${page.nonce}"`));
  for (const s of html.matchAll(/<style\b([^>]*)>/g)) assert.match(s[1]!, new RegExp(`nonce="${page.nonce}"`));
  assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline event handlers');
  assert.doesNotMatch(html, /\sstyle="/, 'no style attributes (the CSP would block them)');
  assert.match(html, /--vscode-charts-green/, 'colours follow the VS Code theme');
  const script = /<script nonce="[^"]+">([\s\S]*?)<\/script>/.exec(html)![1]!;
  assert.doesNotThrow(() => new Function(script), 'the inline script is valid JavaScript');
});

test('the webview SVG has no <style> and no style attributes: the page styles it under its nonce', async () => {
  const { svg } = await drawn();
  const doc = parseXml(svg);
  assert.equal(doc.getElementsByTagName('style').length, 0);
  assert.doesNotMatch(svg, /\sstyle="/);
  assert.equal(withClass(doc, 'g', 'edge').filter((g) => g.getAttribute('data-id')).length, 1);
});

/** A minimal DOM for webviewMain: elements with attributes, parents and event listeners. */
class FakeElement {
  readonly attributes = new Map<string, string>();
  parentNode: FakeElement | null = null;
  children: unknown[] = [];
  checked = false;
  textContent = '';
  readonly listeners = new Map<string, (e: { target?: unknown; data?: unknown }) => void>();
  readonly classes = new Set<string>();
  constructor(attrs: Record<string, string> = {}, parent: FakeElement | null = null) {
    for (const [k, v] of Object.entries(attrs)) this.attributes.set(k, v);
    this.parentNode = parent;
  }
  getAttribute(name: string): string | null { return this.attributes.get(name) ?? null; }
  addEventListener(type: string, l: (e: { target?: unknown; data?: unknown }) => void): void { this.listeners.set(type, l); }
  querySelector(sel: string) {
    return sel === 'svg' && this.children.length ? { classList: { toggle: (name: string, on: boolean) => { if (on) this.classes.add(name); else this.classes.delete(name); } } } : null;
  }
  replaceChildren(...nodes: unknown[]): void { this.children = nodes; }
}

test('sptls/diagram: the SVG and a source range for every node and connection, at the version drawn', async () => {
  const { svg, elements, version } = await drawn();
  assert.equal(version, 3);
  const byId = new Map(elements.map((e) => [e.id, e]));
  for (const [id, text] of [['S', 'server S { certificate signed-by Root trusts Root }'], ['C', 'client C { trusts Root }']] as const) {
    const e = byId.get(id);
    assert.ok(e, `element ${id} (have ${[...byId.keys()].join(', ')})`);
    assert.equal(TOPOLOGY.slice(e.start, e.end), text);
    assert.ok(svg.includes(`data-id="${id}" data-start="${e.start}" data-end="${e.end}"`), `the SVG marks ${id} with the same offsets`);
  }
  const edge = elements.find((e) => TOPOLOGY.slice(e.start, e.end) === 'C -> S');
  assert.ok(edge, 'the connection C -> S is an element');
  assert.deepEqual(edge.range, { start: { line: 3, character: 0 }, end: { line: 3, character: 6 } });
});

test('click → reveal: the webview posts the offsets, the extension selects them', async () => {
  const { svg } = await drawn();
  const posted: WebviewMessage[] = [];
  let state: unknown;
  const container = new FakeElement();
  const toggle = new FakeElement();
  const status = new FakeElement();
  const win = new FakeElement() as FakeElement & { DOMParser: unknown };
  win.DOMParser = class { parseFromString(text: string) { return { documentElement: { svg: text } }; } };
  const elements: Record<string, FakeElement> = { diagram: container, chains: toggle, status };
  webviewMain(
    { postMessage: (m) => posted.push(m), getState: () => state, setState: (s) => { state = s; } },
    { getElementById: (id) => elements[id], importNode: (n) => n },
    win as never,
    revealMessageFor,
  );
  assert.deepEqual(posted, [{ type: 'ready' }], 'the page asks for a drawing when it loads');
  assert.equal(toggle.checked, true, 'the chain layer shows by default');

  win.listeners.get('message')!({ data: { type: 'render', svg } });
  assert.deepEqual(container.children, [{ svg }]);

  // A click on the text inside the edge to S: the nearest ancestor with offsets answers.
  const doc = parseXml(svg);
  const edge = withClass(doc, 'g', 'edge').find((g) => g.getAttribute('data-to') === 'S')!;
  const label = edge.getElementsByTagName('path')[0]!;
  container.listeners.get('click')!({ target: label });
  const message = parseWebviewMessage(JSON.parse(JSON.stringify(posted.at(-1))));
  assert.ok(message && message.type === 'reveal');
  const selected: Array<[number, number]> = [];
  assert.deepEqual(reveal(message, { textLength: TOPOLOGY.length, select: (s, e) => selected.push([s, e]) }), { start: message.start, end: message.end });
  assert.equal(TOPOLOGY.slice(...selected[0]!), 'C -> S');

  // A click on a node reveals its declaration; a click on the background does nothing.
  const nodeGroup = withClass(doc, 'g', 'node').find((g) => g.getAttribute('data-id') === 'S')!;
  container.listeners.get('click')!({ target: nodeGroup.getElementsByTagName('text')[0] });
  const nodeMessage = posted.at(-1)!;
  assert.ok(nodeMessage.type === 'reveal');
  assert.match(TOPOLOGY.slice(nodeMessage.start, nodeMessage.end), /^server S \{/);
  const before = posted.length;
  container.listeners.get('click')!({ target: withClass(doc, 'rect', 'background')[0] });
  assert.equal(posted.length, before);

  // The chain toggle hides the layer and remembers the choice.
  toggle.checked = false;
  toggle.listeners.get('change')!({});
  assert.ok(container.classes.has('hide-chains'));
  assert.deepEqual(state, { chains: false });

  win.listeners.get('message')!({ data: { type: 'error', message: 'boom' } });
  assert.equal(status.textContent, 'boom');
});

test('messages from the webview are validated; reveals are clamped to the current text', () => {
  for (const bad of [null, 'reveal', { type: 'reveal', start: -1, end: 2 }, { type: 'reveal', start: 5, end: 2 }, { type: 'reveal', start: '1', end: 2 }, { type: 'run', start: 1, end: 2 }, { type: 'reveal', start: 1.5, end: 2 }]) {
    assert.equal(parseWebviewMessage(bad), null, JSON.stringify(bad));
  }
  const selected: number[][] = [];
  reveal({ type: 'reveal', start: 40, end: 90 }, { textLength: 50, select: (s, e) => selected.push([s, e]) });
  assert.deepEqual(selected, [[40, 50]]);
  assert.equal(revealMessageFor(null), null);
  const orphan: ElementLike = { getAttribute: () => null, parentNode: null };
  assert.equal(revealMessageFor(orphan), null);
});
