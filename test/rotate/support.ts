// Topologies and helpers the rotate tests share.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { analyze } from '../../server/src/analysis/engine.ts';
import { DiskCertificateFiles } from '../../server/src/workspace/disk-certificates.ts';

export const root = resolve(import.meta.dirname, '..', '..');
export const production = readFileSync(join(root, 'examples', 'production.sptls'), 'utf8');
export const NOW = new Date('2026-12-01T00:00:00Z');

/**
 * examples/production.sptls with SPB1 on its own self-signed certificate, trusted directly
 * by the two servers that open sessions to it (the product's default set-up for a server).
 */
export const selfSigned = production
  .replace(/(server SPB1 \{[^}]*?)certificate signed-by CorpIssuing/, '$1certificate self-signed')
  .replace(/(server SPHUB \{[\s\S]*?trusts CorpRoot)/, '$1, SPB1')
  .replace(/(server SPA1 \{[\s\S]*?trusts CorpRoot)/, '$1, SPB1');

export const files = (dir = join(root, 'examples')) => new DiskCertificateFiles(dir);
export const analyzer = (dir?: string) => (text: string) => analyze(text, { certificateFiles: files(dir), now: NOW });
