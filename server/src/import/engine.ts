// `sptls import` as one function the CLI and the language server can both call:
// collected files in, a .sptls text and its certificate files out, with the findings.
import { assemble, type AssembleOptions } from './assemble.ts';
import type { ImportModel } from './model.ts';
import type { CollectedFile } from './recognise.ts';
import { writeTopology, type WrittenTopology } from './write.ts';

export interface ImportOptions {
  /** Names of the inputs, for the head comment. */
  inputs: string[];
  /** Folder of the certificate files, relative to the topology. */
  certDir?: string;
}

export interface ImportResult extends WrittenTopology {
  model: ImportModel;
}

export function importEnvironment(files: CollectedFile[], options: ImportOptions, context: AssembleOptions = {}): ImportResult {
  const model = assemble(files, context);
  return { model, ...writeTopology(model, { inputs: options.inputs, certDir: options.certDir }) };
}
