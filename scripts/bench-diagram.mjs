// Topology diagram benchmark (docs/diagram.md): layout + render of a generated
// 1,000-component topology with its clients collapsed (target ≤ 2 s), and the redraw
// after an edit of a ~20-component topology — analysis + layout + render (target
// ≤ 200 ms). Prints the figures with the size of the work; asserts nothing.
// Runs the TypeScript sources directly (Node ≥ 24).
import { analyze } from '../server/src/analysis/engine.ts';
import { buildDiagram } from '../server/src/diagram/model.ts';
import { layoutDiagram } from '../server/src/diagram/layout.ts';
import { renderSvg } from '../server/src/diagram/svg.ts';

const noFiles = { read: () => ({ ok: false, reason: 'benchmark: no files' }) };
const now = new Date('2026-01-31T00:00:00Z');

/** A large estate: PKI, hub and spokes with Db2, storage agents, LDAP, OC, reporting, and clients in profiles. */
function largeTopology(components) {
  const lines = ['ca Root { subject "CN=Root" }', 'ca Issuing { signed-by Root subject "CN=Issuing" }'];
  const servers = 20;
  const agents = 10;
  for (let s = 0; s < servers; s++) {
    lines.push(`server SP${s} { address "sp${s}.example.com" certificate signed-by Issuing trusts Root ${s === 0 ? 'hub' : 'spoke-of SP0'} }`);
    lines.push(`db2 DB${s} { port 51500 }`, `SP${s} -> DB${s} plain`);
    if (s > 0) lines.push(`SP0 -> SP${s}`);
    // Replication pairs: odd servers replicate to the next even one.
    if (s % 2 === 0 && s > 0) lines.push(`SP${s - 1} -> SP${s} { purpose replication }`);
  }
  for (let a = 0; a < agents; a++) lines.push(`storage-agent STA${a} { address "sta${a}.example.com" certificate signed-by Issuing trusts Root }`, `STA${a} -> SP${a % servers}`);
  lines.push('ldap DIR { address "ldap.example.com" certificate signed-by Issuing }', 'SP0 -> DIR');
  lines.push('operations-center OC { trusts Root }', 'OC -> SP0', 'reporting-agent REP { trusts Root }', 'REP -> SP0');
  const fixed = 2 + servers * 2 + agents + 3;
  for (let c = 0; c < components - fixed; c++) {
    // 40 client profiles: which server, LAN-free or not, one profile trusting only the intermediate.
    const profile = c % 40;
    const server = profile % servers;
    lines.push(`client C${c} { trusts ${profile === 39 ? 'Issuing' : 'Root'} }`, `C${c} -> SP${server}`);
    if (profile % 4 === 0) lines.push(`C${c} -> STA${server % agents}`);
  }
  return `${lines.join('\n')}\n`;
}

/** A small production-like topology of about 20 components. */
function smallTopology(trust) {
  return `ca Root { subject "CN=Root" }
ca Issuing { signed-by Root subject "CN=Issuing" }
server HUB { address "hub.example.com" certificate signed-by Issuing trusts Root hub }
server SPA { address "spa.example.com" certificate signed-by Issuing trusts Root spoke-of HUB }
server SPB { address "spb.example.com" certificate signed-by Issuing trusts Root spoke-of HUB }
db2 HUBDB { port 51500 }
db2 SPADB { port 51500 }
db2 SPBDB { port 51500 }
storage-agent STA1 { address "sta1.example.com" certificate signed-by Issuing trusts Root }
ldap DIR { address "ldap.example.com" certificate signed-by Issuing }
operations-center OC { trusts Root }
reporting-agent REP { trusts Root }
${Array.from({ length: 8 }, (_, i) => `client N${i} { trusts ${i === 0 ? trust : 'Root'} }\nN${i} -> ${i % 2 ? 'SPA' : 'SPB'}`).join('\n')}
N2 -> STA1
STA1 -> SPB
HUB -> SPA
HUB -> SPB
SPA -> SPB { purpose replication }
HUB -> DIR
OC -> HUB
REP -> HUB
HUB -> HUBDB plain
SPA -> SPADB plain
SPB -> SPBDB plain
`;
}

const ms = (t) => `${t.toFixed(0)} ms`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function timeRender(text) {
  const t0 = performance.now();
  const analysis = analyze(text, { certificateFiles: noFiles, now });
  const t1 = performance.now();
  const model = buildDiagram(analysis);
  const t2 = performance.now();
  const layout = await layoutDiagram(model);
  const t3 = performance.now();
  const svg = renderSvg(layout);
  const t4 = performance.now();
  return { analysis: t1 - t0, model: t2 - t1, layout: t3 - t2, render: t4 - t3, total: t4 - t0, layoutAndRender: t4 - t2, diagram: model, svg, components: analysis.model.entities.length, links: analysis.model.links.length };
}

const big = largeTopology(1000);
const runs = [];
for (let i = 0; i < 4; i++) runs.push(await timeRender(big));
const first = runs[0];
const d = first.diagram;
console.log(`1,000-component topology: ${first.components} components, ${first.links} connections, ${big.split('\n').length} lines`);
console.log(`  drawn as ${d.nodes.length} nodes (${d.groups.filter((g) => g.collapsed).length} client groups), ${d.connections.length} connection edges, ${d.chains.length} chain edges; SVG ${(first.svg.length / 1024).toFixed(0)} KiB`);
console.log(`  first run (cold JIT): analysis ${ms(first.analysis)}, model ${ms(first.model)}, layout ${ms(first.layout)}, render ${ms(first.render)}`);
const warm = runs.slice(1);
console.log(`  warm (median of ${warm.length}): analysis ${ms(median(warm.map((r) => r.analysis)))}, layout ${ms(median(warm.map((r) => r.layout)))}, render ${ms(median(warm.map((r) => r.render)))}`);
console.log(`  layout + render: cold ${ms(first.layoutAndRender)}, warm ${ms(median(warm.map((r) => r.layoutAndRender)))}   (target ≤ 2000 ms)`);

// The webview redraws after each edit: the layout engine is warm by then.
await timeRender(smallTopology('Root'));
const edits = [];
for (let i = 0; i < 15; i++) edits.push(await timeRender(smallTopology(i % 2 ? 'Root' : 'Issuing')));
const e0 = edits[0];
console.log(`update after an edit: ${e0.components} components, ${e0.links} connections, ${e0.diagram.nodes.length} nodes, SVG ${(e0.svg.length / 1024).toFixed(0)} KiB`);
console.log(`  analysis + layout + render over ${edits.length} edits: median ${ms(median(edits.map((r) => r.total)))}, max ${ms(Math.max(...edits.map((r) => r.total)))}   (target ≤ 200 ms)`);
