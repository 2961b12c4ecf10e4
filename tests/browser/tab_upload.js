// Governance runs the tracker from the Tracker tab (issue 21) in headless chromium, under the
// server's real CSP: a file that is no workbook is refused with the command line's words; a quarter's
// workbook is previewed (counts and rows), applied, and the grid shows the new action; the panel pack
// is built as at a date, its headline figures shown and its workbook downloaded. axe-core checks each view.
//
//   node tests/browser/tab_upload.js '{"local": "http://127.0.0.1:PORT", "workbook": "FILE.xlsx",
//                                      "notWorkbook": "FILE.xlsx", "newRef": "DARA-NEW-001",
//                                      "asAt": "YYYY-MM-DD", "shots": "DIR"}'
//
// Prints `RESULT {...}` on success; exits 1 with the reason (and a screenshot) otherwise.
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const { axeProblems, tableRows, runDriver } = require("./tab_common.js");

const TIMEOUT = 30000;

function main() {
  // The refusals this journey asks for (422 not a workbook, 400 a day too early) are logged by chromium too.
  return runDriver({ viewport: { width: 1400, height: 1100 }, expected: /^Failed to load resource: (net::ERR_INTERNET_DISCONNECTED|the server responded with a status of (422|400) )/, failureShot: "tab-upload-failure.png", fullPage: true }, async (page, args, result) => {
    await page.goto(`${args.local}/tab`);
    await page.getByText("Local mode", { exact: true }).waitFor({ timeout: TIMEOUT });
    const picker = page.getByLabel("Act as");
    await picker.selectOption(await picker.locator("option", { hasText: "Grace Gordon" }).getAttribute("value"));
    await page.getByText(/^\d+ found$/).waitFor({ timeout: TIMEOUT });

    // Upload: first a file that is no workbook, refused in the command line's words.
    await page.getByRole("button", { name: "Upload a workbook" }).click();
    const file = page.getByLabel("Workbook (.xlsx)");
    await file.setInputFiles(args.notWorkbook);
    await page.getByRole("button", { name: "Preview the changes" }).click();
    const problems = page.getByRole("list", { name: "Problems to fix" });
    await problems.waitFor({ timeout: TIMEOUT });
    result.refused = await page.getByRole("alert").first().innerText();

    // Then the quarter's workbook: the preview's counts and rows, nothing stored yet.
    await file.setInputFiles(args.workbook);
    await page.getByRole("button", { name: "Preview the changes" }).click();
    await page.getByRole("region", { name: "Preview of the upload" }).waitFor({ timeout: TIMEOUT });
    result.summary = await page.getByText(/nothing stored yet/).innerText();
    result.counts = await tableRows(page, "Counts of the upload");
    result.rows = await tableRows(page, "Rows the upload changes");
    result.closedLine = await page.getByText(/^Closed by this upload/).innerText();
    result.axe.push(...(await axeProblems(page, "upload preview")));
    const tools = page.getByRole("region", { name: "Run the tracker" });
    await tools.screenshot({ path: path.join(args.shots, "tab-upload-preview.png") });

    // Apply: the server's words, and the grid reads again and finds the new action.
    await page.getByRole("button", { name: "Apply these changes" }).click();
    await page.getByText(/^Imported /).waitFor({ timeout: TIMEOUT });
    result.applied = await page.getByText(/^Imported /).innerText();
    await page.getByRole("search").getByLabel("Search").fill(args.newRef);
    await page.waitForFunction(
      (ref) => Array.from(document.querySelectorAll("table[aria-label^='Tracker'] tbody tr td:first-child")).some((td) => td.innerText.trim() === ref),
      args.newRef,
      { timeout: TIMEOUT },
    );
    result.gridAfter = (await tableRows(page, "Tracker actions and inspection items")).map((r) => r[0]);
    await page.screenshot({ path: path.join(args.shots, "tab-upload-applied.png"), fullPage: false });

    // The panel pack as at a date: its headline figures, then its workbook downloaded.
    await page.getByRole("button", { name: "Panel pack as at a date" }).click();
    await page.getByLabel("As at", { exact: true }).fill(args.asAt);
    await page.getByRole("button", { name: "Build the pack" }).click();
    const figures = page.getByRole("region", { name: `Panel pack as at ${args.asAt}` });
    await figures.waitFor({ timeout: TIMEOUT });
    result.figures = await figures.locator("dl").evaluate((dl) => {
      const out = {};
      const terms = dl.querySelectorAll("dt");
      for (const dt of terms) out[dt.innerText.trim()] = dt.nextElementSibling.innerText.trim();
      return out;
    });
    result.axe.push(...(await axeProblems(page, "pack")));
    await tools.screenshot({ path: path.join(args.shots, "tab-pack.png") });
    const [download] = await Promise.all([
      page.waitForEvent("download", { timeout: TIMEOUT }),
      page.getByRole("button", { name: "Download the pack (Excel)" }).click(),
    ]);
    result.downloaded = download.suggestedFilename();
    const saved = path.join(args.shots, result.downloaded);
    await download.saveAs(saved);
    result.downloadedBytes = fs.statSync(saved).size;

    const [summary] = await Promise.all([
      page.waitForEvent("download", { timeout: TIMEOUT }),
      page.getByRole("button", { name: "Download the summary (HTML)" }).click(),
    ]);
    result.downloadedHtml = summary.suggestedFilename();

    // The tracker itself, as the command line's export writes it.
    const [tracker] = await Promise.all([
      page.waitForEvent("download", { timeout: TIMEOUT }),
      page.getByRole("button", { name: "Export the tracker (.xlsx)" }).click(),
    ]);
    result.exported = tracker.suggestedFilename();
    const exportedPath = path.join(args.shots, result.exported);
    await tracker.saveAs(exportedPath);
    result.exportedPath = exportedPath;

    // A day before anything was recorded: the server's refusal, shown as it is.
    await page.getByLabel("As at", { exact: true }).fill("2001-01-01");
    await page.getByRole("button", { name: "Build the pack" }).click();
    await page.getByText(/^Nothing had been recorded by 2001-01-01/).waitFor({ timeout: TIMEOUT });
    result.tooEarly = await page.getByText(/^Nothing had been recorded by 2001-01-01/).innerText();
  });
}

if (require.main === module) main();
