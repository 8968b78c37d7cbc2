// The diagram webview's page: a strict Content-Security-Policy (nothing loads but
// the nonce'd style and script), VS Code theme colours through the diagram's CSS
// variables (the stylesheet comes from the server with the diagram), a chain-layer toggle, and an empty stage the SVG is posted into.
import { revealMessageFor } from './protocol.ts';
import { webviewMain } from './webview-script.ts';

const PAGE_CSS = `
body { margin: 0; padding: 0; color: var(--vscode-foreground); background: var(--vscode-editor-background); font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); }
header { position: sticky; top: 0; display: flex; gap: 1.5em; align-items: center; padding: 6px 12px; background: var(--vscode-editor-background); border-bottom: 1px solid var(--vscode-panel-border, transparent); z-index: 1; }
#status { color: var(--vscode-errorForeground); }
#diagram { padding: 8px; overflow: auto; }
#diagram svg { display: block; max-width: none; }
`;

export interface DiagramPageOptions {
  /** `webview.cspSource`. */
  cspSource: string;
  /** A fresh random value per page. */
  nonce: string;
  /** The stylesheet of the SVG's classes, as the server sends it with the diagram. */
  diagramCss: string;
}

export function contentSecurityPolicy(o: DiagramPageOptions): string {
  return `default-src 'none'; style-src ${o.cspSource} 'nonce-${o.nonce}'; script-src 'nonce-${o.nonce}'; img-src ${o.cspSource} data:;`;
}

export function diagramPage(o: DiagramPageOptions): string {
  const script = `(${webviewMain.toString()})(acquireVsCodeApi(), document, window, ${revealMessageFor.toString()});`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(o)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Topology diagram</title>
<style nonce="${o.nonce}">${PAGE_CSS}${o.diagramCss.replace(/<\//g, '<\\/')}</style>
</head>
<body>
<header><label><input type="checkbox" id="chains" checked> Certificate chains</label><span>Click a component or arrow to show it in the editor.</span><span id="status" role="status"></span></header>
<main id="diagram"></main>
<script nonce="${o.nonce}">${script}</script>
</body>
</html>
`;
}
