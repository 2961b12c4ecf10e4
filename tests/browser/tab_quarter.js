// A whole quarter run by governance from the Tracker tab (issue 21's "Done when"), in one headless
// chromium page on the real bot server: upload the quarter's workbook (preview, apply), add the new
// DARA audit, edit an action, accept an owner's two proposals in bulk, start an update cycle and watch
// it move while the owner answers through the bot, build the pack as at today, export the tracker.
// Then each role's scope in the page: a chief officer's groups read-only, an owner's own actions.
// The steps are the single-feature drivers' own (tab_common.js, tab_new.js).
//
//   node tests/browser/tab_quarter.js '{"base": "http://127.0.0.1:PORT", "shots": "DIR", "workbook": "FILE.xlsx",
//     "newRef": "DARA-NEW-001", "proposals": [["DARA-..", "YYYY-MM-DD"], ...], "editRef": "DARA-..",
//     "editDue": "YYYY-MM-DD", "asAt": "YYYY-MM-DD"}'
//
// Prints `STARTED {...}` once the cycle is open and waits for `ANSWERED` on stdin (the test has the
// owner answer through the bot meanwhile); prints `RESULT {...}` at the end, exits 1 on failure.
"use strict";

const path = require("node:path");
const { TIMEOUT, axeProblems, lineFromTest, press, actAs, tableRows, runDriver } = require("./tab_common.js");
const { previewCycle } = require("./tab_cycle.js");
const { fillAudit, fillAction } = require("./tab_new.js");

const GRID = "table[aria-label^='Tracker'] tbody tr";

async function gridRefsFor(page, search) {
  await page.getByRole("search").getByLabel("Search").fill(search);
  await page.waitForFunction(
    (q) => Array.from(document.querySelectorAll("table[aria-label^='Tracker'] tbody tr td:first-child")).every((td) => td.innerText.includes(q)),
    search,
    { timeout: TIMEOUT },
  );
  return (await tableRows(page, "Tracker actions and inspection items")).map((r) => r[0]).sort();
}

async function found(page) {
  return Number((await page.getByText(/^\d+ found$/).innerText()).split(" ")[0]);
}

async function upload(page, args, result) {
  await press(page, page.getByRole("button", { name: "Upload a workbook" }));
  await page.getByLabel("Workbook (.xlsx)").setInputFiles(args.workbook);
  await press(page, page.getByRole("button", { name: "Preview the changes" }));
  await page.getByRole("region", { name: "Preview of the upload" }).waitFor({ timeout: TIMEOUT });
  result.uploadSummary = await page.getByText(/nothing stored yet/).innerText();
  result.uploadCounts = await tableRows(page, "Counts of the upload");
  await press(page, page.getByRole("button", { name: "Apply these changes" }));
  await page.getByText(/^Imported /).waitFor({ timeout: TIMEOUT });
  result.applied = await page.getByText(/^Imported /).innerText();
  result.gridAfterUpload = await gridRefsFor(page, args.newRef);
}

async function newAudit(page, result) {
  await press(page, page.getByRole("button", { name: "New audit" }));
  const form = page.getByRole("form", { name: "New audit" });
  await fillAudit(form);
  const owner = "olivia.owen@met.police.example";
  await fillAction(form, 1, { description: "Agree a healthcare contract review", risk: "high", group: "Met Operations", owner, due: "2027-03-31" });
  await press(page, form.getByRole("button", { name: "Add another action" }));
  await fillAction(form, 2, { description: "Audit custody medication records", risk: "medium", group: "Met Operations", owner, due: "2027-06-30" });
  await press(page, form.getByRole("button", { name: "Add audit and actions" }));
  await page.getByText(/^Added DARA-2026-31 and its 2 actions/).waitFor({ timeout: TIMEOUT });
  result.added = await page.getByText(/^Added DARA-2026-31 and its 2 actions/).innerText();
  await press(page, form.getByRole("button", { name: "Back to the tracker" }));
  result.gridAfterAdd = await gridRefsFor(page, "DARA-2026-31");
}

async function openAction(page, ref) {
  await page.getByRole("search").getByLabel("Search").fill(ref);
  await press(page, page.getByRole("button", { name: ref, exact: true }));
  await page.getByRole("heading", { name: "History" }).waitFor({ timeout: TIMEOUT });
}

async function edit(page, args, result) {
  await openAction(page, args.editRef);
  await press(page, page.getByRole("button", { name: `Edit ${args.editRef}` }));
  const form = page.getByRole("form", { name: `Edit ${args.editRef}` });
  await form.getByLabel("Due date", { exact: true }).fill(args.editDue);
  await press(page, form.getByRole("button", { name: "Save changes" }));
  await page.getByText(`Saved ${args.editRef}:`).waitFor({ timeout: TIMEOUT });
  result.edited = await page.getByText(`Saved ${args.editRef}:`).innerText();
  await press(page, page.getByRole("button", { name: "Back to the tracker" }));
}

async function propose(page, ref, day, result) {
  await openAction(page, ref);
  await press(page, page.getByRole("button", { name: `Update ${ref}` }));
  const form = page.getByRole("form", { name: `Update ${ref}` });
  await form.getByLabel("Delay reason").selectOption("Resource challenges");
  await form.getByLabel("Propose a revised due date (optional)").fill(day);
  await form.getByLabel("Progress note").fill("Needs another quarter");
  await press(page, form.getByRole("button", { name: "Save update" }));
  await page.getByText(/^Saved\./).waitFor({ timeout: TIMEOUT });
  result.proposed.push(await page.getByText(/^Saved\./).innerText());
  await press(page, page.getByRole("button", { name: "Back to the tracker" }));
}

async function decide(page, refs, result) {
  await press(page, page.getByRole("button", { name: "Decisions", exact: true }));
  await page.getByRole("table", { name: "Decisions waiting" }).waitFor({ timeout: TIMEOUT });
  for (const ref of refs) {
    await press(page, page.getByRole("checkbox", { name: new RegExp(`^Select ${ref}: `) }), "Space");
  }
  await page.getByLabel("Reason for all selected (needed to reject)").fill("Agreed at the Audit Panel");
  await press(page, page.getByRole("button", { name: "Accept selected (2)" }));
  const outcomes = page.getByRole("list", { name: "Decision outcomes" });
  await outcomes.waitFor({ timeout: TIMEOUT });
  result.outcomes = await outcomes.locator("li").allInnerTexts();
}

async function cycle(page, answered, result) {
  const preview = await previewCycle(page, result);
  await press(page, preview.getByRole("button", { name: /^Start: send to \d+ owners$/ }));
  const rate = page.getByTestId("response-rate");
  await rate.waitFor({ timeout: TIMEOUT });
  result.rateBefore = await rate.innerText();
  await page.evaluate(() => { window.__sameDocument = true; }); // gone if the page reloads
  console.log("STARTED " + JSON.stringify({ rate: result.rateBefore }));
  await answered;
  await page.waitForFunction((before) => document.querySelector("[data-testid='response-rate']")?.innerText !== before, result.rateBefore, { timeout: TIMEOUT });
  result.rateAfter = await rate.innerText();
  result.sameDocument = await page.evaluate(() => window.__sameDocument === true);
}

async function download(page, name) {
  const [file] = await Promise.all([page.waitForEvent("download", { timeout: TIMEOUT }), press(page, page.getByRole("button", { name }))]);
  return file;
}

async function packAndExport(page, args, result) {
  await press(page, page.getByRole("button", { name: "Tracker", exact: true }));
  await press(page, page.getByRole("button", { name: "Panel pack as at a date" }));
  await page.getByLabel("As at", { exact: true }).fill(args.asAt);
  await press(page, page.getByRole("button", { name: "Build the pack" }));
  const figures = page.getByRole("region", { name: `Panel pack as at ${args.asAt}` });
  await figures.waitFor({ timeout: TIMEOUT });
  result.figures = await figures.locator("dl").evaluate((dl) => {
    const out = {};
    for (const dt of dl.querySelectorAll("dt")) out[dt.innerText.trim()] = dt.nextElementSibling.innerText.trim();
    return out;
  });
  await page.screenshot({ path: path.join(args.shots, "tab-quarter-pack.png"), fullPage: true });
  const pack = await download(page, "Download the pack (Excel)");
  result.packName = pack.suggestedFilename();
  const tracker = await download(page, "Export the tracker (.xlsx)");
  result.exportedPath = path.join(args.shots, `quarter-${tracker.suggestedFilename()}`);
  await tracker.saveAs(result.exportedPath);
  // The grid's own "overdue" filter, the panel's figure, for DARA actions: the pack's number again.
  await page.getByRole("search").getByLabel("Search").fill("");
  await page.getByLabel("Source").selectOption("dara");
  await page.getByLabel("Overdue only (the panel's figure)").check();
  await page.waitForFunction(
    () => Array.from(document.querySelectorAll("table[aria-label^='Tracker'] tbody tr td:nth-child(7)")).every((td) => td.innerText.includes("days overdue")),
    null,
    { timeout: TIMEOUT },
  );
  result.gridOverdue = await found(page);
}

const GOVERNANCE_ONLY = ["Decisions", "Update cycle", "Upload a workbook", "New audit", "Export the tracker (.xlsx)", "Panel pack as at a date"];

async function scope(page, name) {
  await actAs(page, name);
  await page.waitForFunction((n) => document.body.innerText.includes(`${n}:`), name, { timeout: TIMEOUT });
  const seen = { total: await found(page), governanceButtons: [] };
  for (const label of GOVERNANCE_ONLY) {
    if ((await page.getByRole("button", { name: label, exact: true }).count()) > 0) seen.governanceButtons.push(label);
  }
  seen.rows = await tableRows(page, "Tracker actions and inspection items");
  seen.rowCount = await page.locator(GRID).count();
  return seen;
}

function main() {
  const answered = lineFromTest("ANSWERED");
  return runDriver({ viewport: { width: 1400, height: 1000 }, failureShot: "tab-quarter-failure.png", fullPage: true, exit: true }, async (page, args, result) => {
    result.proposed = [];
    await page.goto(`${args.base}/tab`);
    await actAs(page, "Grace Gordon");
    await upload(page, args, result);
    await newAudit(page, result);
    await edit(page, args, result);
    await actAs(page, "Olivia Owen"); // the owner proposes two revised dates in the tab's owner form
    for (const [ref, day] of args.proposals) await propose(page, ref, day, result);
    await actAs(page, "Grace Gordon");
    await decide(page, args.proposals.map(([ref]) => ref), result);
    await cycle(page, answered, result);
    result.axe.push(...(await axeProblems(page, "cycle progress")));
    await packAndExport(page, args, result);
    result.colin = await scope(page, "Colin Chambers");
    await press(page, page.getByRole("button", { name: "Figures", exact: true }));
    await page.getByRole("heading", { name: "Summary" }).waitFor({ timeout: TIMEOUT });
    result.colinSummary = await page.getByRole("region", { name: "Summary" }).innerText();
    await press(page, page.getByRole("button", { name: "Tracker", exact: true }));
    result.olivia = await scope(page, "Olivia Owen");
    result.axe.push(...(await axeProblems(page, "owner's grid")));
  });
}

main();
