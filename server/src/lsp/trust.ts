// Workspace trust as the client reports it: `initializationOptions.trusted` at start,
// then `sptls/workspaceTrust { trusted }` when it changes. A client that says nothing
// (Neovim, Emacs, a CI script) is trusted: the user started the server on their files.
// Commands that write key material or open connections ask `trusted` (commands/registry.ts).
import type { WorkspaceTrustParams } from '../../../protocol/index.ts';

export class WorkspaceTrust {
  trusted: boolean;

  constructor(initializationOptions: unknown) {
    const said = initializationOptions && typeof initializationOptions === 'object' ? (initializationOptions as Record<string, unknown>)['trusted'] : undefined;
    this.trusted = said !== false;
  }

  /** Applies a `sptls/workspaceTrust` notification; anything but a boolean `trusted` is ignored. */
  update(params: unknown): void {
    const trusted = params && typeof params === 'object' ? (params as Partial<WorkspaceTrustParams>).trusted : undefined;
    if (typeof trusted === 'boolean') this.trusted = trusted;
  }
}
