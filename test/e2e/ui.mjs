// UI checks in the workbench, through the DOM the user sees: the file opens from
// Quick Open, error and warning squiggles sit on the lines `sptls check` names, hovering
// a squiggle shows the finding, the grammar colours keywords, names and strings
// differently, and an sptls command runs from the palette. One screenshot per step goes
// to test-output/e2e/. A step that fails ends the checks: the later ones count as failed.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const STEP_TIMEOUT_MS = 60_000;

/** `sptls check --format json` of one file, by the repository's CLI. */
function cliDiagnostics(repoRoot, file) {
  const r = spawnSync(process.execPath, [join(repoRoot, 'bin', 'sptls.cjs'), 'check', '--format', 'json', file], { encoding: 'utf8' });
  return JSON.parse(r.stdout).files[0].diagnostics;
}

/** 1-based lines covered by the diagnostics of one severity. */
function linesOf(diagnostics, severity) {
  const lines = new Set();
  for (const d of diagnostics.filter((x) => x.severity === severity)) {
    for (let l = d.range.start.line; l <= d.range.end.line; l++) lines.add(l + 1);
  }
  return lines;
}

/** Runs in the page: the 1-based lines (of those rendered) carrying each kind of squiggle in the active editor. */
function renderedSquiggles() {
  const editor = document.querySelector('.editor-group-container.active .monaco-editor');
  if (!editor) return null;
  const lineAtTop = new Map();
  for (const row of editor.querySelectorAll('.margin-view-overlays > div')) {
    const number = row.querySelector('.line-numbers');
    if (number) lineAtTop.set(row.style.top, Number(number.textContent));
  }
  const lines = (cls) => [...new Set([...editor.querySelectorAll(`.view-overlays .${cls}`)].map((el) => lineAtTop.get(el.parentElement.style.top)))].filter(Boolean).sort((a, b) => a - b);
  return { rendered: [...lineAtTop.values()], error: lines('squiggly-error'), warning: lines('squiggly-warning') };
}

export async function runUiChecks({ context, server, workspace, outputDir, repoRoot, log }) {
  const page = context.pages()[0] ?? await context.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  const file = 'broken.sptls';
  const expected = cliDiagnostics(repoRoot, join(workspace, file));
  const source = readFileSync(join(workspace, file), 'utf8').split('\n');
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  const checks = [];
  let shot = 0;
  const screenshot = (name) => page.screenshot({ path: join(outputDir, `${String(++shot).padStart(2, '0')}-${name}.png`) });
  let broken = null;
  const step = async (name, fn) => {
    if (broken) {
      checks.push({ name, ok: false, error: `not run: "${broken}" failed` });
      return;
    }
    const started = Date.now();
    try {
      await fn();
      checks.push({ name, ok: true });
      log(`ui: ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    } catch (e) {
      broken = name;
      checks.push({ name, ok: false, error: e instanceof Error ? e.message.split('\n').slice(0, 6).join(' ') : String(e) });
      await screenshot(`FAILED-${name.replace(/\W+/g, '-')}`).catch(() => {});
    }
  };

  await step('the workbench opens the folder', async () => {
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
    await page.locator('.monaco-workbench').waitFor();
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: file }).first().waitFor();
    await screenshot('workbench');
  });

  await step(`Quick Open opens ${file} as an sptls document`, async () => {
    await page.keyboard.press('Control+P');
    // the browser build may open the widget in command mode ('>'): setting the text picks file mode
    await page.locator('.quick-input-widget input').fill(file);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: file }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.editor-group-container.active .view-line', { hasText: 'ca CorpRoot' }).first().waitFor();
    await page.locator('.statusbar-item', { hasText: /^SP TLS topology$|^sptls$/ }).first().waitFor();
  });

  await step('error and warning squiggles sit on the lines sptls check names', async () => {
    const errorLines = linesOf(expected, 'error');
    const warningLines = linesOf(expected, 'warning');
    let seen = null;
    try {
      await page.waitForFunction(({ errors, warnings, find }) => {
        const r = new Function(`return (${find})()`)();
        if (!r) return false;
        const want = (set) => set.filter((l) => r.rendered.includes(l)).sort((a, b) => a - b).join(',');
        return r.error.join(',') === want(errors) && r.warning.join(',') === want(warnings) && r.error.length > 0;
      }, { errors: [...errorLines], warnings: [...warningLines], find: renderedSquiggles.toString() }, { timeout: STEP_TIMEOUT_MS });
    } finally {
      seen = await page.evaluate(`(${renderedSquiggles.toString()})()`);
      await screenshot('squiggles');
    }
    const visibleErrors = [...errorLines].filter((l) => seen.rendered.includes(l));
    if (visibleErrors.length < 10) throw new Error(`only ${visibleErrors.length} error lines were on screen (rendered lines ${seen.rendered.length})`);
    log(`ui: squiggles: errors on lines ${seen.error.join(',')}; warnings on ${seen.warning.join(',')}`);
  });

  await step('hovering a squiggle shows the finding', async () => {
    const target = expected.find((d) => d.code === 'untrusted-responder' && source[d.range.start.line].startsWith('NODE1 -> SP1'));
    if (!target) throw new Error('sptls check reports no untrusted-responder on NODE1 -> SP1');
    const line = page.locator('.editor-group-container.active .view-line', { hasText: 'NODE1 -> SP1' }).first();
    // the finding's range starts at column 1: put the cursor at the start of the line
    await line.click({ position: { x: 20, y: 5 } });
    await page.locator('.editor-group-container.active .monaco-editor.focused').waitFor();
    // Show Hover at the cursor (Ctrl+K Ctrl+I), not a resting mouse: a mouse hover waits for a
    // dwell time and is hidden by any re-render in between, which a loaded machine makes likely;
    // the command shows it once, at the cursor, however long the machine takes.
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+I');
    const hover = page.locator('.monaco-hover-content', { hasText: target.message.slice(0, 40) }).first();
    await hover.waitFor();
    const text = await hover.innerText();
    if (!text.includes('untrusted-responder')) throw new Error(`the hover names no rule id: ${text.slice(0, 300)}`);
    await screenshot('hover');
    await page.keyboard.press('Escape');
  });

  await step('the grammar gives keywords, names and strings different colours', async () => {
    const colourOf = async (lineText, token) => {
      const line = page.locator('.editor-group-container.active .view-line', { hasText: lineText }).first();
      return line.evaluate((el, tok) => {
        const span = [...el.querySelectorAll('span[class*="mtk"]')].find((s) => s.textContent.replace(/\u00a0/g, ' ').trim() === tok);
        return span ? getComputedStyle(span).color : null;
      }, token);
    };
    const keyword = await colourOf('server SP1 {', 'server');
    const name = await colourOf('server SP1 {', 'SP1');
    const string = await colourOf('address "sp1.example.com"', '"sp1.example.com"') ?? await colourOf('address "sp1.example.com"', 'sp1.example.com');
    const colours = { keyword, name, string };
    if (Object.values(colours).some((c) => !c)) throw new Error(`token spans not found: ${JSON.stringify(colours)}`);
    if (new Set(Object.values(colours)).size !== 3) throw new Error(`keywords, names and strings share colours: ${JSON.stringify(colours)}`);
    log(`ui: token colours ${JSON.stringify(colours)}`);
  });

  const command = manifest.contributes.commands.find((c) => c.command === 'sptls.showDiagram');
  const paletteTitle = `${command.category}: ${command.title}`;
  await step(`the palette runs "${paletteTitle}"`, async () => {
    await page.keyboard.press('F1');
    await page.locator('.quick-input-widget input').fill(`>${paletteTitle}`);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: command.title }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.tab', { hasText: `Topology: ${file}` }).first().waitFor();
    // the webview's content sits in an inner frame; the diagram is drawn once the extension posts the model
    const view = page.frameLocator('iframe.webview').first().frameLocator('iframe#active-frame');
    await view.locator('#diagram svg').first().waitFor();
    await view.locator('#diagram', { hasText: 'NODE1' }).waitFor();
    await screenshot('diagram');
  });
  return checks;
}
