// The script that runs inside the diagram webview. `webviewMain` is shipped as source
// text (html.ts), so it touches only its arguments: the VS Code API object, the
// document and window, and `revealMessageFor` from protocol.ts.
import type { ElementLike, HostMessage, WebviewMessage } from './protocol.ts';

export interface WebviewApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}

interface EventTargetLike {
  addEventListener(type: string, listener: (event: { target?: unknown; data?: unknown }) => void): void;
}

interface ContainerLike extends EventTargetLike {
  querySelector(selector: string): { classList: { toggle(name: string, force: boolean): void } } | null;
  replaceChildren(...nodes: unknown[]): void;
}

export interface DocumentLike {
  getElementById(id: string): unknown;
  importNode(node: unknown, deep: boolean): unknown;
}

export interface WindowLike extends EventTargetLike {
  DOMParser: new () => { parseFromString(text: string, type: string): { documentElement: unknown } };
}

export function webviewMain(api: WebviewApi, doc: DocumentLike, win: WindowLike, revealFor: (el: ElementLike | null) => WebviewMessage | null): void {
  const container = doc.getElementById('diagram') as ContainerLike;
  const toggle = doc.getElementById('chains') as EventTargetLike & { checked: boolean };
  const status = doc.getElementById('status') as { textContent: string };
  const saved = api.getState() as { chains?: boolean } | undefined;
  toggle.checked = saved?.chains !== false;
  const applyChains = () => container.querySelector('svg')?.classList.toggle('hide-chains', !toggle.checked);
  toggle.addEventListener('change', () => {
    api.setState({ chains: toggle.checked });
    applyChains();
  });
  container.addEventListener('click', (event) => {
    const message = revealFor(event.target as ElementLike | null);
    if (message) api.postMessage(message);
  });
  win.addEventListener('message', (event) => {
    const message = event.data as HostMessage | undefined;
    if (message?.type === 'render') {
      const parsed = new win.DOMParser().parseFromString(message.svg, 'image/svg+xml');
      container.replaceChildren(doc.importNode(parsed.documentElement, true));
      status.textContent = '';
      applyChains();
    } else if (message?.type === 'error') {
      status.textContent = message.message;
    }
  });
  api.postMessage({ type: 'ready' });
}
