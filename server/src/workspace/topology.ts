// A topology file on disk as every command sees it: analyzed with its certificate
// files read relative to its folder, at the time the caller gives (the clock is read
// here, at the edge, never inside the analysis), and its issued PKI in pki/ beside it.
import { dirname, join } from 'node:path';
import { analyze, type Analysis } from '../analysis/engine.ts';
import { DiskCertificateFiles } from './disk-certificates.ts';

export const defaultPkiDir = (topologyPath: string): string => join(dirname(topologyPath), 'pki');

export function analyzeTopology(topologyPath: string, text: string, now: Date = new Date()): Analysis {
  return analyze(text, { certificateFiles: new DiskCertificateFiles(dirname(topologyPath)), now });
}
