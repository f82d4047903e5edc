// Opens an HTML report in headless Chromium over the DevTools protocol (on a pipe, no
// WebSocket and no npm packages), and prints one JSON object: console errors, network requests
// other than the report file itself, the report's sections and SVG charts per trend. Writes a
// full-page screenshot.
//
// usage: node report_browser_check.js CHROMIUM REPORT.html SCREENSHOT.png PROFILE_DIR [KEY=VALUE...]
//   width=N height=N   the window (default 1280 x 900)
//   shot=first         the screenshot holds the first screen only (default: the full page)
//   pdf=FILE.pdf       also print the page to A4 PDF as Chromium prints it (CSS page size)
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');

const [chromium, reportPath, screenshotPath, profileDir, ...extra] = process.argv.slice(2);
const options = Object.fromEntries(extra.map((a) => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]));
const width = Number(options.width || 1280);
const viewHeight = Number(options.height || 900);
const reportUrl = 'file://' + path.resolve(reportPath);

const browser = spawn(chromium, [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage', '--hide-scrollbars', '--mute-audio',
  '--user-data-dir=' + profileDir, '--remote-debugging-pipe', 'about:blank',
], { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });

let stderr = '';
browser.stderr.on('data', (d) => { stderr += d; });

const timer = setTimeout(() => finish({ error: 'timed out after 25 s', stderr: stderr.slice(-2000) }, 2), 25000);

let nextId = 1;
const pending = new Map();
const listeners = [];
let buffer = '';
browser.stdio[4].on('data', (chunk) => {
  buffer += chunk.toString('utf8');
  let end;
  while ((end = buffer.indexOf('\0')) >= 0) {
    const message = JSON.parse(buffer.slice(0, end));
    buffer = buffer.slice(end + 1);
    if (message.id && pending.has(message.id)) {
      const { resolve, reject } = pending.get(message.id);
      pending.delete(message.id);
      if (message.error) {
        reject(new Error(JSON.stringify(message.error)));
      } else {
        resolve(message.result);
      }
    } else if (message.method) {
      for (const listener of listeners) listener(message);
    }
  }
});

function send(method, params = {}, sessionId = undefined) {
  const id = nextId++;
  const message = { id, method, params };
  if (sessionId) message.sessionId = sessionId;
  browser.stdio[3].write(JSON.stringify(message) + '\0');
  return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
}

function finish(result, code) {
  clearTimeout(timer);
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  try { browser.kill('SIGKILL'); } catch (e) { /* already gone */ }
  process.exit(code);
}

const consoleErrors = [];
const requests = [];

async function main() {
  const { targetId } = await send('Target.createTarget', { url: 'about:blank' });
  const { sessionId } = await send('Target.attachToTarget', { targetId, flatten: true });
  let loaded;
  const loadedPromise = new Promise((resolve) => { loaded = resolve; });
  listeners.push((m) => {
    if (m.sessionId !== sessionId) return;
    if (m.method === 'Runtime.consoleAPICalled' && (m.params.type === 'error' || m.params.type === 'assert')) {
      consoleErrors.push(m.params.args.map((a) => a.value || a.description).join(' '));
    } else if (m.method === 'Runtime.exceptionThrown') {
      consoleErrors.push(m.params.exceptionDetails.text);
    } else if (m.method === 'Log.entryAdded' && m.params.entry.level === 'error') {
      consoleErrors.push(m.params.entry.text);
    } else if (m.method === 'Network.requestWillBeSent') {
      requests.push(m.params.request.url);
    } else if (m.method === 'Page.loadEventFired') {
      loaded();
    }
  });
  for (const domain of ['Runtime', 'Log', 'Network', 'Page']) {
    await send(domain + '.enable', {}, sessionId);
  }
  await send('Emulation.setDeviceMetricsOverride', { width, height: viewHeight, deviceScaleFactor: 1, mobile: false }, sessionId);
  const started = Date.now();
  await send('Page.navigate', { url: reportUrl }, sessionId);
  await loadedPromise;
  const loadMs = Date.now() - started;

  const probe = `(() => {
    const trends = {};
    for (const f of document.querySelectorAll('[data-trend]')) {
      const id = f.getAttribute('data-trend');
      trends[id] = (trends[id] || 0) + f.querySelectorAll('svg').length;
    }
    const sections = [...document.querySelectorAll('h3')].map((h) => h.textContent.trim().split('\\n')[0]);
    return JSON.stringify({
      title: document.title,
      sections,
      databases: [...document.querySelectorAll('section.database')].map((s) => s.id),
      fleetRows: document.querySelectorAll('#fleet tbody tr').length,
      trends,
      svgCount: document.querySelectorAll('svg').length,
      scripts: document.querySelectorAll('script').length,
      images: document.querySelectorAll('img').length,
      height: document.documentElement.scrollHeight,
      width: document.documentElement.scrollWidth,
      domNodes: document.getElementsByTagName('*').length,
      // Where the parts a reader looks for first are, in page pixels (absent: null).
      boxes: Object.fromEntries(['#fleet', 'section.database', '.overview', '.kpis', '.health', '.changes',
        '.risks', 'h3[id$="-fix"]'].map((sel) => {
        const e = document.querySelector(sel);
        if (!e) return [sel, null];
        const r = e.getBoundingClientRect();
        return [sel, { top: Math.round(r.top + scrollY), bottom: Math.round(r.bottom + scrollY) }];
      })),
      // The smallest rendered size of chart text, in CSS pixels.
      minChartText: Math.min(...[...document.querySelectorAll('svg.chart text')].map((t) => {
        const svg = t.ownerSVGElement;
        const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        return parseFloat(getComputedStyle(t).fontSize) * scale;
      }).filter((x) => x > 0), 1000),
      // Rows of the snapshots table taller than one line of text.
      wrappedSnapshotRows: [...document.querySelectorAll('table.snapshots tbody tr')]
        .filter((r) => r.getBoundingClientRect().height > 2 * parseFloat(getComputedStyle(r).lineHeight || '20')).length,
    });
  })()`;
  const { result } = await send('Runtime.evaluate', { expression: probe, returnByValue: true }, sessionId);
  const dom = JSON.parse(result.value);

  // A full-page screenshot, capped so a huge report stays a reasonable image; or the first screen.
  if (options.shot !== 'first') {
    const height = Math.min(dom.height, 16000);
    await send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: false }, sessionId);
  }
  const shot = await send('Page.captureScreenshot', { format: 'png' }, sessionId);
  fs.writeFileSync(screenshotPath, Buffer.from(shot.data, 'base64'));

  let pdfPages = null;
  if (options.pdf) {
    const pdf = await send('Page.printToPDF', { preferCSSPageSize: true, printBackground: true }, sessionId);
    const bytes = Buffer.from(pdf.data, 'base64');
    fs.writeFileSync(options.pdf, bytes);
    // Chromium writes each page object's dictionary uncompressed: count "/Type /Page" (not /Pages).
    pdfPages = (bytes.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g) || []).length;
  }

  const external = requests.filter((u) => u !== reportUrl);
  finish({ consoleErrors, requests: external, dom, loadMs, pdfPages }, 0);
}

main().catch((e) => finish({ error: String(e), stderr: stderr.slice(-2000) }, 2));
