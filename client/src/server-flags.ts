// V8 flags the language server process runs with (the extension, the benchmark and the
// IPC test share them). The server re-analyses the whole topology on every edit, so its
// heap fills with short-lived objects: an 8 MB semi-space and slow old-space growth keep
// a 50,000-line topology at about 185 MB RSS (16 MB: ~205 MB; V8's defaults: ~340 MB;
// 4 MB: no smaller, and slower edits). --optimize-for-size reaches 150 MB but triples
// the analysis time. Figures: scripts/bench-lsp.mjs.
export const SERVER_V8_FLAGS: readonly string[] = ['--max-semi-space-size=8', '--heap-growing-percent=10'];
