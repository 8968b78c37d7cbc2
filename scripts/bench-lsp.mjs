// Language-server benchmark through the real bundled server (dist/server.cjs) over
// stdio, as an editor sees it: didChange → publishDiagnostics on a 2,000-line and a
// 50,000-line topology (debounce set to 0, so the figure is the server's own work plus
// the pipe), hover and completion latency at both sizes, and the server's memory with
// the 50,000-line topology open.
// Targets are printed beside the figures, not asserted.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { SERVER_V8_FLAGS as SERVER_FLAGS } from '../client/src/server-flags.ts';

const root = join(import.meta.dirname, '..');
const serverPath = join(root, 'dist', 'server.cjs');
if (!existsSync(serverPath)) spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit', cwd: root });

/** A topology of about `lines` lines: servers with storage agents and Db2, many clients, a few mistakes. */
function topology(lines) {
  const out = ['ca Root { subject "CN=Root,O=Bench" key rsa 4096 }', 'ca Issuing { signed-by Root }'];
  const servers = Math.max(2, Math.round(lines / 400));
  for (let s = 0; s < servers; s++) {
    out.push(`server SP${s} {`, `  address "sp${s}.example.com"`, '  port 1500', '  version 8.1.22',
      '  certificate signed-by Issuing', '  trusts Root', s === 0 ? '  hub' : '  spoke-of SP0', '}',
      `storage-agent STA${s} { address "sta${s}.example.com" port 1502 certificate signed-by Issuing trusts Root }`,
      `db2 DB${s} { instance "tsminst1" port 51500 }`, `SP${s} -> DB${s} plain`, `STA${s} -> SP${s}`);
    if (s > 0) out.push(`SP0 -> SP${s} { purpose hub-spoke }`);
  }
  for (let n = 0; out.length < lines; n++) {
    // Every 50th client trusts only the intermediate: an untrusted-responder per 50 clients.
    out.push(`client NODE${n} { version 8.1.22 trusts ${n % 50 === 0 ? 'Issuing' : 'Root'} }`, `NODE${n} -> SP${n % servers}`);
  }
  return `${out.join('\n')}\n`;
}

function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

const fmt = (ms) => `${ms.toFixed(2)} ms`;

function rssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)[1]);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

async function startServer() {
  // The same V8 flags the VS Code extension starts the server with (client/src/extension.ts).
  const child = spawn(process.execPath, [...SERVER_FLAGS, serverPath, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const conn = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const waiters = new Map();
  conn.onNotification('textDocument/publishDiagnostics', (p) => {
    const w = waiters.get(`${p.uri}@${p.version}`);
    if (w) { waiters.delete(`${p.uri}@${p.version}`); w(p); }
  });
  conn.onNotification('window/logMessage', (p) => process.stderr.write(`server: ${p.message}\n`));
  conn.listen();
  await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {}, initializationOptions: { diagnosticsDelay: 0 } });
  await conn.sendNotification('initialized', {});
  const published = (uri, version) => new Promise((resolve) => waiters.set(`${uri}@${version}`, resolve));
  return { child, conn, published };
}

const { child, conn, published } = await startServer();

// --- 2,000 lines: edit → diagnostics, hover, completion ---------------------------
const uri = 'file:///bench/topology-2000.sptls';
const text = topology(2000);
const lines = text.split('\n');
let first = published(uri, 1);
await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sptls', version: 1, text } });
const firstDiagnostics = (await first).diagnostics.length;

/** Retypes the port number of the first server `count` times: a one-character edit, as when typing. */
async function timeEdits(uri, lines, firstVersion, count) {
  const times = [];
  const portLine = lines.indexOf('  port 1500');
  for (let v = firstVersion; v < firstVersion + count; v++) {
    const digit = String(v % 10);
    const wait = published(uri, v);
    const t0 = performance.now();
    await conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: v },
      contentChanges: [{ range: { start: { line: portLine, character: 10 }, end: { line: portLine, character: 11 } }, text: digit }],
    });
    await wait;
    times.push(performance.now() - t0);
  }
  return times;
}

async function timeHovers(uri, lines, count) {
  const times = [];
  const connectionLines = lines.map((l, i) => (/^NODE\d+ -> /.test(l) ? i : -1)).filter((i) => i >= 0);
  for (let i = 0; i < count; i++) {
    const line = connectionLines[(i * 37) % connectionLines.length];
    const t0 = performance.now();
    const h = await conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character: lines[line].indexOf('->') } });
    times.push(performance.now() - t0);
    if (!h) throw new Error(`no hover at line ${line}`);
  }
  return times;
}

async function timeCompletions(uri, lines, count) {
  const times = [];
  const clientLines = lines.map((l, i) => (l.startsWith('client NODE') ? i : -1)).filter((i) => i >= 0);
  for (let i = 0; i < count; i++) {
    const line = clientLines[(i * 41) % clientLines.length];
    // Alternate: inside a declaration block (properties) and after `NODE -> ` (responders).
    const position = i % 2 === 0
      ? { line, character: lines[line].indexOf('trusts') }
      : { line: line + 1, character: lines[line + 1].indexOf('->') + 3 };
    const t0 = performance.now();
    const items = await conn.sendRequest('textDocument/completion', { textDocument: { uri }, position });
    times.push(performance.now() - t0);
    if (!items.length) throw new Error(`no completion at ${JSON.stringify(position)}`);
  }
  return times;
}

const editTimes = await timeEdits(uri, lines, 2, 60);
const hoverTimes = await timeHovers(uri, lines, 300);
const completionTimes = await timeCompletions(uri, lines, 300);
await conn.sendNotification('textDocument/didClose', { textDocument: { uri } });

// --- 50,000 lines open: memory -------------------------------------------------------
const bigUri = 'file:///bench/topology-50000.sptls';
const big = topology(50_000);
const bigOpened = performance.now();
const bigPublished = published(bigUri, 1);
await conn.sendNotification('textDocument/didOpen', { textDocument: { uri: bigUri, languageId: 'sptls', version: 1, text: big } });
const bigDiagnostics = (await bigPublished).diagnostics.length;
const bigOpenMs = performance.now() - bigOpened;
await conn.sendRequest('textDocument/hover', { textDocument: { uri: bigUri }, position: { line: 50, character: 2 } });
const bigEdit = published(bigUri, 2);
const bigEditStart = performance.now();
await conn.sendNotification('textDocument/didChange', { textDocument: { uri: bigUri, version: 2 }, contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# edited\n' }] });
await bigEdit;
const bigEditMs = performance.now() - bigEditStart;
// The typing figure at 50,000 lines: the same one-character edits as at 2,000 lines.
const bigLines = big.split('\n');
bigLines.unshift('# edited');
const bigEditTimes = await timeEdits(bigUri, bigLines, 3, 30);
const bigHoverTimes = await timeHovers(bigUri, bigLines, 200);
const bigCompletionTimes = await timeCompletions(bigUri, bigLines, 200);
const memory = rssMb(child.pid);
// V8 hands pages back once the process is idle for a while (its memory reducer).
await new Promise((r) => setTimeout(r, 8000));
const idleMemory = rssMb(child.pid);

await conn.sendRequest('shutdown');
await conn.sendNotification('exit');

const rows = [
  ['didChange → publishDiagnostics (2,000 lines, 60 edits)', `p50 ${fmt(percentile(editTimes, 50))}, p95 ${fmt(percentile(editTimes, 95))}, max ${fmt(Math.max(...editTimes))}`, 'target p95 ≤ 10 ms'],
  ['hover (2,000 lines, 300 requests)', `p50 ${fmt(percentile(hoverTimes, 50))}, p95 ${fmt(percentile(hoverTimes, 95))}`, 'target p95 ≤ 10 ms'],
  ['completion (2,000 lines, 300 requests)', `p50 ${fmt(percentile(completionTimes, 50))}, p95 ${fmt(percentile(completionTimes, 95))}`, 'target p95 ≤ 10 ms'],
  ['open 50,000 lines → diagnostics', fmt(bigOpenMs), `${bigDiagnostics} diagnostics`],
  ['insert a line at the top of 50,000 lines → diagnostics', fmt(bigEditMs), ''],
  ['didChange → publishDiagnostics (50,000 lines, 30 edits)', `p50 ${fmt(percentile(bigEditTimes, 50))}, p95 ${fmt(percentile(bigEditTimes, 95))}, max ${fmt(Math.max(...bigEditTimes))}`, 'target p50 ≤ 40 ms'],
  ['hover (50,000 lines, 200 requests)', `p50 ${fmt(percentile(bigHoverTimes, 50))}, p95 ${fmt(percentile(bigHoverTimes, 95))}`, 'target p95 ≤ 10 ms'],
  ['completion (50,000 lines, 200 requests)', `p50 ${fmt(percentile(bigCompletionTimes, 50))}, p95 ${fmt(percentile(bigCompletionTimes, 95))}`, 'target p95 ≤ 10 ms'],
  ['server RSS with 50,000 lines open', `${memory.rss.toFixed(0)} MB after the edits and requests, ${idleMemory.rss.toFixed(0)} MB after 8 s idle (peak ${memory.peak.toFixed(0)} MB)`, 'target ≤ 200 MB'],
];
console.log(`language server node ${SERVER_FLAGS.join(' ')} ${serverPath} --stdio; 2,000-line document: ${text.length} chars, ${firstDiagnostics} diagnostics; 50,000-line document: ${big.length} chars`);
const width = Math.max(...rows.map((r) => r[0].length));
for (const [what, figure, note] of rows) console.log(`  ${what.padEnd(width)}  ${figure}${note ? `   (${note})` : ''}`);
console.log(JSON.stringify({
  editP50: percentile(editTimes, 50), editP95: percentile(editTimes, 95),
  hoverP50: percentile(hoverTimes, 50), hoverP95: percentile(hoverTimes, 95),
  completionP50: percentile(completionTimes, 50), completionP95: percentile(completionTimes, 95),
  bigOpenMs, bigEditMs, bigEditP50: percentile(bigEditTimes, 50), bigEditP95: percentile(bigEditTimes, 95),
  bigHoverP95: percentile(bigHoverTimes, 95), bigCompletionP95: percentile(bigCompletionTimes, 95), rssMb: memory.rss, idleRssMb: idleMemory.rss, peakRssMb: memory.peak,
}));
