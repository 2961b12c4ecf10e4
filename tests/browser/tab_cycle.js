// The Tracker tab's decisions, update cycle and figures in headless chromium (issue 21), on the real
// bot server (its /tab and /api/messages): governance decides two proposals in bulk by keyboard,
// starts a cycle from the tab and watches its progress move, without a reload, while an owner answers
// through the bot; then a chief officer sees his group's figures and nudges its non-responders.
//
//   node tests/browser/tab_cycle.js '{"base": "http://127.0.0.1:PORT", "shots": "DIR", "refs": ["DARA-..", ...]}'
//
// Prints `STARTED {...}` once the cycle is open and waits for a line `ANSWERED` on stdin (the test
// has an owner answer through the bot meanwhile); prints `RESULT {...}` at the end, exits 1 on failure.
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const readline = require("node:readline");
const pg = require("./playground.js");

const ROOT = path.resolve(__dirname, "..", "..");
const AXE = fs.readFileSync(path.join(ROOT, "node_modules", "axe-core", "axe.min.js"), "utf8");
const TIMEOUT = 20000;

async function axeProblems(page, label) {
  await page.evaluate(AXE);
  const found = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  return found.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${label}: ${v.id} (${v.impact}) ${v.nodes.slice(0, 2).map((n) => n.target.join(" ")).join(" | ")}`);
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

async function main() {
  const args = JSON.parse(process.argv[2]);
  const answered = lineFromTest("ANSWERED");
  const browser = await pg.launchBrowser({ viewport: { width: 1400, height: 1000 } });
  const page = await browser.context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
  await page.route("https://res.cdn.office.net/**", (route) => route.abort("internetdisconnected"));
  page.on("console", (m) => {
    if (m.type() === "error" && !/ERR_INTERNET_DISCONNECTED/.test(m.text())) errors.push(`console: ${m.text()}`);
  });
  const result = { axe: [], errors };
  try {
    await page.goto(`${args.base}/tab`);
    await actAs(page, "Grace Gordon");

    // Decisions: tick two proposals with the keyboard (Space), give a reason, accept them at once.
    await press(page, page.getByRole("button", { name: "Decisions", exact: true }));
    await page.getByRole("table", { name: "Decisions waiting" }).waitFor({ timeout: TIMEOUT });
    for (const ref of args.refs) {
      await press(page, page.getByRole("checkbox", { name: new RegExp(`^Select ${ref}: `) }), "Space");
    }
    await page.getByLabel("Reason for all selected (needed to reject)").fill("Agreed at the Audit Panel");
    result.axe.push(...(await axeProblems(page, "decisions")));
    await page.screenshot({ path: path.join(args.shots, "tab-decisions.png") });
    await press(page, page.getByRole("button", { name: "Accept selected (2)" }));
    const outcomes = page.getByRole("list", { name: "Decision outcomes" });
    await outcomes.waitFor({ timeout: TIMEOUT });
    result.outcomes = await outcomes.locator("li").allInnerTexts();
    const decided = page.getByRole("checkbox", { name: new RegExp(`^Select (${args.refs.join("|")}): `) });
    await decided.first().waitFor({ state: "detached", timeout: TIMEOUT }); // the list is read again
    result.stillListed = await decided.count();

    // Update cycle: Met Operations, the default deadline; preview, then start.
    await press(page, page.getByRole("button", { name: "Update cycle", exact: true }));
    const form = page.getByRole("form", { name: "Request updates" });
    await form.waitFor({ timeout: TIMEOUT });
    await form.getByLabel("Scope").selectOption("group");
    await form.getByLabel("Business group").selectOption("Met Operations");
    await press(page, form.getByRole("button", { name: "Preview" }));
    const preview = page.getByRole("region", { name: "Check before sending" });
    await preview.waitFor({ timeout: TIMEOUT });
    result.preview = await preview.innerText();
    result.axe.push(...(await axeProblems(page, "cycle preview")));
    await press(page, preview.getByRole("button", { name: /^Start: send to \d+ owners$/ }));
    const rate = page.getByTestId("response-rate");
    await page.getByText(/^Update cycle \d+ opened/).waitFor({ timeout: TIMEOUT });
    await rate.waitFor({ timeout: TIMEOUT });
    result.rateBefore = await rate.innerText();
    await page.evaluate(() => { window.__sameDocument = true; }); // gone if the page reloads
    console.log("STARTED " + JSON.stringify({ rate: result.rateBefore }));

    await answered; // an owner has answered through the bot: the page moves by itself
    await page.waitForFunction((before) => document.querySelector("[data-testid='response-rate']")?.innerText !== before, result.rateBefore, { timeout: TIMEOUT });
    result.rateAfter = await rate.innerText();
    result.sameDocument = await page.evaluate(() => window.__sameDocument === true);
    result.axe.push(...(await axeProblems(page, "cycle progress")));
    await page.screenshot({ path: path.join(args.shots, "tab-cycle.png"), fullPage: true });

    // A chief officer: his group's figures, read-only, and a nudge to its non-responders.
    await actAs(page, "Colin Chambers");
    await press(page, page.getByRole("button", { name: "Figures", exact: true }));
    await page.getByRole("heading", { name: "Summary" }).waitFor({ timeout: TIMEOUT });
    result.figureHeadings = await page.locator("h2").allInnerTexts();
    result.summary = await page.getByRole("region", { name: "Summary" }).innerText();
    result.chartTitles = await page.locator("figcaption").allInnerTexts();
    result.cycleGroups = await page.getByRole("table", { name: "Response rate by business group" }).locator("tbody tr td:first-child").allInnerTexts();
    result.axe.push(...(await axeProblems(page, "figures")));
    await page.screenshot({ path: path.join(args.shots, "tab-figures.png"), fullPage: true });
    await press(page, page.getByRole("button", { name: "Nudge non-responders" }));
    await page.getByText(/reminders? to owners/).waitFor({ timeout: TIMEOUT });
    result.nudged = await page.getByText(/reminders? to owners/).innerText();
    for (const theme of ["dark", "contrast"]) { // Teams' other two themes, checked with axe too
      await page.getByLabel("Theme").selectOption(theme);
      await page.locator(`[data-theme="${theme}"]`).waitFor({ timeout: TIMEOUT });
      result.axe.push(...(await axeProblems(page, `figures (${theme})`)));
      await press(page, page.getByRole("button", { name: "Tracker", exact: true }));
      await press(page, page.getByRole("button", { name: "Figures", exact: true }));
      await page.getByRole("heading", { name: "Summary" }).waitFor({ timeout: TIMEOUT });
    }
    console.log("RESULT " + JSON.stringify(result));
  } catch (error) {
    await page.screenshot({ path: path.join(args.shots, "tab-cycle-failure.png") }).catch(() => {});
    console.error(error.stack || String(error));
    console.error(errors.join("\n"));
    process.exitCode = 1;
  } finally {
    await browser.close();
    process.exit(process.exitCode || 0);
  }
}

// tab_quarter.js runs the whole quarter with these same steps.
module.exports = { axeProblems, lineFromTest, press, actAs };
if (require.main === module) main();
