// The topology a command works on: a saved .sptls file (its PKI lives in pki/ beside
// it), with the editor's unsaved text when the document is open, else the file as saved.
import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { DocumentStore } from '../documents.ts';

/** Topology files larger than this are not read from disk by a command. */
const MAX_TOPOLOGY_BYTES = 32 * 1024 * 1024;

export interface SavedTopology {
  uri: string;
  path: string;
  text: string;
}

/** The topology behind `uri`, or why a command cannot use it. */
export async function savedTopology(uri: string, documents: DocumentStore): Promise<SavedTopology | string> {
  if (!uri.startsWith('file:')) return 'save the topology first: its issued PKI (sptls issue) is found in pki/ beside the file';
  const path = fileURLToPath(uri);
  const open = documents.text(uri);
  if (open !== undefined) return { uri, path, text: open };
  try {
    const size = (await stat(path)).size;
    if (size > MAX_TOPOLOGY_BYTES) return `${path} is ${size} bytes; topologies over ${MAX_TOPOLOGY_BYTES} bytes are not read`;
    return { uri, path, text: await readFile(path, 'utf8') };
  } catch (e) {
    return `cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
  }
}

export const fileUri = (path: string): string => pathToFileURL(path).href;
