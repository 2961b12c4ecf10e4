// What every Tracker tab driver (tab.js, tab_new.js, tab_upload.js, tab_cycle.js, tab_quarter.js)
// does around its own steps: headless chromium under the server's real CSP, page errors and console
// errors collected, axe-core checks, and the `RESULT {...}` line (or exit 1 with a screenshot) that
// tests/browser/tab_harness.py reads.
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const readline = require("node:readline");
const pg = require("./playground.js");

const ROOT = path.resolve(__dirname, "..", "..");
const AXE = fs.readFileSync(path.join(ROOT, "node_modules", "axe-core", "axe.min.js"), "utf8");
const TIMEOUT = 20000;
// TeamsJS asks Microsoft's CDN for its list of valid hosts (allowed by the CSP); this machine may
// have no internet, so that one request is refused here and TeamsJS keeps its built-in list.
const OFFLINE = /^Failed to load resource: net::ERR_INTERNET_DISCONNECTED/;

async function axeProblems(page, label) {
  // evaluate() runs through the debugging protocol, not as page script: the page's CSP stays on.
  // A theme switch starts Fluent's colour transitions: axe's contrast check must see where they end,
  // not a colour half-way (a dark-theme check once failed that way), so finite animations finish first.
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((a) => a.effect && a.effect.getComputedTiming().endTime !== Infinity)
        .map((a) => a.finished.catch(() => null)),
    ),
  );
  await page.evaluate(AXE);
  const found = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  if (found.passes.length + found.violations.length < 10) return [`${label}: axe ran too few rules`];
  return found.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${label}: ${v.id} (${v.impact}) ${v.nodes.slice(0, 2).map((n) => `${n.target.join(" ")}: ${n.failureSummary}`).join(" | ")}`);
}

function lineFromTest(expected) {
  const input = readline.createInterface({ input: process.stdin });
  return new Promise((resolve) => input.on("line", (line) => { if (line.trim() === expected) { input.close(); resolve(); } }));
}

async function press(page, locator, key = "Enter") {
  await locator.focus();
  await page.keyboard.press(key);
}

async function actAs(page, name) {
  const picker = page.getByLabel("Act as");
  const value = await picker.locator("option", { hasText: name }).getAttribute("value");
  await picker.selectOption(value);
  await page.getByText(/^\d+ found$/).waitFor({ timeout: TIMEOUT });
}

async function tableRows(page, label) {
  return page.$$eval(`table[aria-label='${label}'] tbody tr`, (rows) =>
    rows.map((r) => Array.from(r.querySelectorAll("td")).map((td) => td.innerText.trim())),
  );
}

// Runs `steps(page, args, result)` on a fresh page; `expected` are the console errors the journey
// itself causes (refusals it asks for), `failureShot` the screenshot taken when a step throws, and
// `exit` ends the process at once (drivers that read stdin would otherwise keep it open).
async function runDriver({ viewport, expected = OFFLINE, failureShot, fullPage = false, exit = false }, steps) {
  const args = JSON.parse(process.argv[2]);
  const browser = await pg.launchBrowser({ viewport });
  const page = await browser.context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
  await page.route("https://res.cdn.office.net/**", (route) => route.abort("internetdisconnected"));
  page.on("console", (m) => {
    if (m.type() === "error" && !expected.test(m.text())) errors.push(`console: ${m.text()}`);
  });
  const result = { axe: [], errors };
  try {
    await steps(page, args, result);
    console.log("RESULT " + JSON.stringify(result));
  } catch (error) {
    await page.screenshot({ path: path.join(args.shots, failureShot), fullPage }).catch(() => {});
    console.error(error.stack || String(error));
    console.error(errors.join("\n"));
    process.exitCode = 1;
  } finally {
    await browser.close();
    if (exit) process.exit(process.exitCode || 0);
  }
}

module.exports = { TIMEOUT, axeProblems, lineFromTest, press, actAs, tableRows, runDriver };
