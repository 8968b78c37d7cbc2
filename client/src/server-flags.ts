// V8 flags the language server process runs with (the extension, the benchmark and the
// IPC test share them). The server re-analyses the whole topology on every edit, so its
// heap fills with short-lived objects: a 16 MB young generation and slow old-space
// growth keep a 50,000-line topology near 200 MB RSS (about 340 MB with V8's defaults)
// at the same analysis speed. --optimize-for-size reaches 150 MB but triples the
// analysis time. Figures: scripts/bench-lsp.mjs.
export const SERVER_V8_FLAGS: readonly string[] = ['--max-semi-space-size=16', '--heap-growing-percent=10'];
