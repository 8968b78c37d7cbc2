// SVG and DOT of every sample topology: well-formed, every component and connection
// present with the verdict class the model gives it, offsets and hover text on each,
// the chain layer separable, and broken files drawn under a syntax-error banner.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildDiagram, renderDiagram } from '../../server/src/diagram/index.ts';
import { analyzeSample, clientPopulation, NOW, parseXml, samples, withClass } from './samples.ts';
import { analyze } from '../../server/src/analysis/engine.ts';

for (const sample of samples()) {
  test(`SVG of ${sample.name}: well-formed, complete, classed by verdict`, async () => {
    const a = analyzeSample(sample);
    const { model, text } = await renderDiagram(a, { format: 'svg' });
    const doc = parseXml(text);
    assert.equal(doc.documentElement?.tagName, 'svg');
    const nodes = withClass(doc, 'g', 'node').filter((g) => g.getAttribute('data-id'));
    assert.deepEqual(nodes.map((g) => g.getAttribute('data-id')).sort(), model.nodes.map((n) => n.id).sort());
    for (const e of a.model.entities.filter((x) => x.isFirst)) {
      const g = nodes.find((x) => x.getAttribute('data-id') === e.name);
      assert.ok(g, `${e.name} drawn`);
      assert.ok(g.getAttribute('class')!.split(' ').includes(`kind-${e.kind}`));
      assert.equal(Number(g.getAttribute('data-start')), e.decl.start);
      assert.equal(Number(g.getAttribute('data-end')), e.decl.end);
      if (e.props.has('hub')) assert.ok(g.getAttribute('class')!.includes('hub'));
    }
    const edges = withClass(doc, 'g', 'edge').filter((g) => g.getAttribute('data-id'));
    assert.equal(edges.length, model.connections.length);
    for (const edge of model.connections) {
      const g = edges.find((x) => x.getAttribute('data-id') === edge.id)!;
      assert.ok(g.getAttribute('class')!.split(' ').includes(`verdict-${edge.verdict}`));
      assert.equal(Number(g.getAttribute('data-start')), edge.start);
      const title = g.getElementsByTagName('title')[0]!.textContent!;
      for (const f of edge.findings) assert.ok(title.includes(`${f.rule}: ${f.message}`), `${f.rule} in the hover text of ${edge.id}`);
      const path = withClass(g, 'path', 'line')[0]!;
      assert.match(path.getAttribute('d')!, /^M[\d.-]+ [\d.-]+( L[\d.-]+ [\d.-]+)+$/, 'the edge was routed');
    }
    // Every link whose diagnostics say untrusted-responder is drawn untrusted.
    for (const link of a.model.links) {
      const c = link.connection;
      if (!a.diagnostics.some((d) => d.code === 'untrusted-responder' && d.start >= c.start && d.start < c.end)) continue;
      const g = edges.find((x) => Number(x.getAttribute('data-start')) === c.start)!;
      assert.ok(g.getAttribute('class')!.includes('verdict-untrusted'), `${c.from.text} -> ${c.to?.text}`);
    }
    const chains = withClass(doc, 'g', 'layer-chains');
    assert.equal(chains.length, 1);
    assert.equal(withClass(chains[0]!, 'g', 'chain').length, model.chains.length);
    assert.equal(withClass(doc, 'g', 'legend').length, 1);
    // The legend explains node outlines too, with the classes the nodes use.
    const legendText = withClass(doc, 'g', 'legend')[0]!.textContent!;
    assert.match(legendText, /outline: has an error/);
    assert.match(legendText, /outline: has a warning/);
    assert.equal(withClass(doc, 'g', 'legend-outline').filter((g) => g.getAttribute('class')!.includes('has-error')).length, 1);
    const banner = withClass(doc, 'g', 'banner');
    assert.equal(banner.length, model.syntaxErrors.length ? 1 : 0);
    if (model.syntaxErrors.length) assert.match(banner[0]!.textContent!, new RegExp(`${model.syntaxErrors.length} syntax errors? — the diagram shows what parsed`));
  });

  test(`DOT of ${sample.name}: every node and connection with its verdict`, async () => {
    const a = analyzeSample(sample);
    const { model, text } = await renderDiagram(a, { format: 'dot' });
    assert.match(text, /^digraph topology \{\n[\s\S]*\}\n$/);
    for (const n of model.nodes) assert.ok(text.includes(`"${n.id}" [label=`), `${n.id} declared`);
    for (const e of model.connections) {
      assert.ok(text.includes(`"${e.from}" -> "${e.to}" [id="${e.id}", class="edge verdict-${e.verdict}"`), `${e.id} drawn as ${e.verdict}`);
    }
    assert.equal(text.match(/class="chain"/g)?.length ?? 0, model.chains.length);
    assert.equal((text.match(/\{/g) ?? []).length - (text.match(/\}/g) ?? []).length, 0, 'braces balance');
  });

  test(`Mermaid of ${sample.name}: a flowchart with every node and link`, async () => {
    const { model, text } = await renderDiagram(analyzeSample(sample), { format: 'mermaid' });
    assert.match(text, /^(---\ntitle: [^\n]+\n---\n)?flowchart LR\n/);
    const links = text.split('\n').filter((l) => /^ {2}n\d+ (-->|==>|-\.->)/.test(l));
    assert.equal(links.length, model.connections.length + model.chains.length);
  });
}

test('--no-chains leaves the chain layer out of every format', async () => {
  const a = analyzeSample(samples().find((s) => s.name === 'spec §1')!);
  assert.ok(buildDiagram(a).chains.length > 0);
  const svg = parseXml((await renderDiagram(a, { format: 'svg', chains: false })).text);
  assert.equal(withClass(svg, 'g', 'chain').length, 0);
  assert.doesNotMatch((await renderDiagram(a, { format: 'dot', chains: false })).text, /class="chain"/);
  assert.doesNotMatch((await renderDiagram(a, { format: 'mermaid', chains: false })).text, /signed by/);
});

test('a collapsed group is one node in the SVG, and expanding it draws each client', async () => {
  const a = analyze(clientPopulation([{ count: 30, trusts: 'Root', prefix: 'C' }]), { certificateFiles: { read: () => ({ ok: false, reason: 'none' }) }, now: NOW });
  const collapsed = parseXml((await renderDiagram(a, { format: 'svg' })).text);
  const groups = withClass(collapsed, 'g', 'kind-group').filter((g) => g.getAttribute('data-id'));
  assert.equal(groups.length, 1);
  assert.match(groups[0]!.textContent!, /30 clients/);
  assert.equal(withClass(collapsed, 'g', 'kind-client').filter((g) => g.getAttribute('data-id')).length, 0);
  const expanded = parseXml((await renderDiagram(a, { format: 'svg', expand: ['group:C001'] })).text);
  assert.equal(withClass(expanded, 'g', 'kind-client').filter((g) => g.getAttribute('data-id')).length, 30);
});

test('hostile names and messages stay text in SVG, DOT and Mermaid', async () => {
  const a = analyze('server S { address "a<b>&\\"c\'" certificate file "x\\"<y>.pem" }\nclient C { trusts S }\nC -> S\n', { certificateFiles: { read: () => ({ ok: false, reason: 'bad <file> & "quote"' }) }, now: NOW });
  parseXml((await renderDiagram(a, { format: 'svg' })).text);
  const dot = (await renderDiagram(a, { format: 'dot' })).text;
  for (const line of dot.split('\n')) assert.equal((line.replace(/\\\\/g, '').replace(/\\"/g, '').match(/"/g) ?? []).length % 2, 0, line);
});
