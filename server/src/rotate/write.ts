// Plans a rotation for a topology on disk and writes its folder: the phase files (their
// `file` paths made relative to the folder), the scripts and STEPS.txt. The CLI command
// and the language server's "Plan rotation" both come through here.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { analyze } from '../analysis/engine.ts';
import { DiskCertificateFiles } from '../workspace/disk-certificates.ts';
import { rebaseFiles } from './edits.ts';
import { rotate, type RotateResult, type RotationTarget } from './index.ts';

export interface RotationFolderOptions {
  target: RotationTarget;
  now: Date;
  /** Default: rotate-NAME/ beside the topology. */
  outDir?: string;
  /** Write over the files of an earlier plan in the folder. */
  force?: boolean;
  /** Plan and prove only. */
  dryRun?: boolean;
}

export type RotationFolderResult = RotateResult & { outDir: string; refused?: string };

export const defaultRotationDir = (topologyPath: string, target: RotationTarget) => join(dirname(topologyPath), `rotate-${target.name}`);

export async function planRotationFolder(topologyPath: string, text: string, options: RotationFolderOptions): Promise<RotationFolderResult> {
  const topologyDir = dirname(topologyPath);
  const outDir = options.outDir ?? defaultRotationDir(topologyPath, options.target);
  // Phase files live in the rotation folder: their `file` paths are made relative to it.
  const rebased = rebaseFiles(analyze(text, { certificateFiles: new DiskCertificateFiles(topologyDir), now: options.now }), topologyDir, outDir);
  const pkiDir = relative(outDir, join(topologyDir, 'pki')).split('\\').join('/') || '.';
  const r = await rotate({ text: rebased, files: new DiskCertificateFiles(outDir) }, { target: options.target, now: options.now, pkiDir });
  if (!r.ok || options.dryRun) return { ...r, outDir };
  if (existsSync(outDir) && readdirSync(outDir).length > 0 && !options.force) {
    return { ...r, outDir, refused: `${outDir} holds files already: give another folder, or write over the rotation files in it (--force)` };
  }
  for (const f of r.rotation.files) {
    const path = join(outDir, ...f.path.split('/'));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, f.content, { mode: f.executable ? 0o755 : 0o644 });
  }
  return { ...r, outDir };
}
