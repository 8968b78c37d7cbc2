// The webview's SVG, computed in the extension host from the same engine and diagram
// modules as the CLI (they are pure), so the diagram needs no language-server request.
import { dirname } from 'node:path';
import type { CertificateFiles } from '../../../server/src/analysis/certificate-files.ts';
import { analyze } from '../../../server/src/analysis/engine.ts';
import { renderDiagram } from '../../../server/src/diagram/index.ts';
import { DiskCertificateFiles } from '../../../server/src/workspace/disk-certificates.ts';

const UNSAVED: CertificateFiles = {
  read: () => ({ ok: false, reason: 'the topology is not saved yet, so a relative path has no folder' }),
};

/** `path` is the document's file path, or null for an unsaved document. */
export async function diagramSvg(text: string, path: string | null): Promise<string> {
  const analysis = analyze(text, { certificateFiles: path ? new DiskCertificateFiles(dirname(path)) : UNSAVED });
  // The page's nonce'd stylesheet styles the SVG; an embedded <style> would be blocked by the CSP.
  return (await renderDiagram(analysis, { format: 'svg', embedStyle: false })).text;
}
