// What the runner tells the suite, through code-server's environment (the extension
// host inherits it).
export interface E2eEnv {
  /** Where run() writes its counts. */
  resultsFile: string;
  /** The repository, for the CLI that gives the expected diagnostics. */
  repoRoot: string;
  /** The extensions folder the VSIX was installed into. */
  extensionsDir: string;
}

export function e2eEnv(): E2eEnv {
  const get = (name: string): string => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is not set: run the suite through test/e2e/run-code-server.mjs`);
    return value;
  };
  return { resultsFile: get('SPTLS_E2E_RESULTS'), repoRoot: get('SPTLS_E2E_ROOT'), extensionsDir: get('SPTLS_E2E_EXTENSIONS_DIR') };
}
