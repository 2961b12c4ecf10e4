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

const path = require("node:path");
const { TIMEOUT, axeProblems, lineFromTest, press, actAs, runDriver } = require("./tab_common.js");

// Update cycle: Met Operations, the default deadline; the preview shown (and kept in result), not started yet.
async function previewCycle(page, result) {
  await press(page, page.getByRole("button", { name: "Update cycle", exact: true }));
  const form = page.getByRole("form", { name: "Request updates" });
  await form.waitFor({ timeout: TIMEOUT });
  await form.getByLabel("Scope").selectOption("group");
  await form.getByLabel("Business group").selectOption("Met Operations");
  await press(page, form.getByRole("button", { name: "Preview" }));
  const preview = page.getByRole("region", { name: "Check before sending" });
  await preview.waitFor({ timeout: TIMEOUT });
  result.preview = await preview.innerText();
  return preview;
}

function main() {
  const answered = lineFromTest("ANSWERED");
  return runDriver({ viewport: { width: 1400, height: 1000 }, failureShot: "tab-cycle-failure.png", exit: true }, async (page, args, result) => {
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
    const preview = await previewCycle(page, result);
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
  });
}

// tab_quarter.js runs the whole quarter with these same steps.
module.exports = { previewCycle };
if (require.main === module) main();
