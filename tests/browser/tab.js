// The Tracker tab in headless chromium (issue 21): governance's grid in local mode, by keyboard,
// under the server's real Content-Security-Policy, checked with axe-core; and the same page on a
// server with an app id, opened outside Teams, telling the user to open it in Teams.
//
//   node tests/browser/tab.js '{"local": "http://127.0.0.1:PORT", "signed": "http://127.0.0.1:PORT2", "shots": "DIR"}'
//
// Prints `RESULT {...}` on success; exits 1 with the reason (and a screenshot) otherwise.
"use strict";

const path = require("node:path");
const { TIMEOUT, axeProblems, runDriver } = require("./tab_common.js");

async function rowsShown(page) {
  return page.$$eval("table[aria-label^='Tracker'] tbody tr", (rows) =>
    rows.map((r) => Array.from(r.querySelectorAll("td")).map((td) => td.innerText.trim())),
  );
}

function main() {
  return runDriver({ viewport: { width: 1400, height: 1000 }, failureShot: "tab-failure.png" }, async (page, args, result) => {
    // Outside Teams, with an app id: no local mode, no sign-in; the page says where to open it.
    await page.goto(`${args.signed}/tab`);
    await page.getByText("Open the Tracker in Microsoft Teams").waitFor({ timeout: TIMEOUT });
    result.outside = await page.locator("main").innerText();
    result.outsideHasPicker = (await page.getByLabel("Act as").count()) > 0;

    // Local mode: the banner, then pick governance.
    await page.goto(`${args.local}/tab`);
    await page.getByText("Local mode", { exact: true }).waitFor({ timeout: TIMEOUT });
    const picker = page.getByLabel("Act as");
    const grace = await picker.locator("option", { hasText: "Grace Gordon" }).getAttribute("value");
    await picker.selectOption(grace);
    await page.getByText(/^\d+ found$/).waitFor({ timeout: TIMEOUT });
    result.totalAll = Number((await page.getByText(/^\d+ found$/).innerText()).split(" ")[0]);
    result.axe.push(...(await axeProblems(page, "grid")));
    await page.screenshot({ path: path.join(args.shots, "tab-grid.png"), fullPage: false });

    // Filter by group with the keyboard: focus the select, move to the option, and the grid follows.
    const group = page.getByLabel("Group");
    await group.focus();
    await group.selectOption("Met Operations");
    await page.waitForFunction(
      () => Array.from(document.querySelectorAll("table[aria-label^='Tracker'] tbody tr td:nth-child(3)")).every((td) => td.innerText.trim() === "Met Operations"),
      null,
      { timeout: TIMEOUT },
    );
    const filtered = Number((await page.getByText(/^\d+ found$/).innerText()).split(" ")[0]);
    result.totalGroup = filtered;
    result.groupsOnPage1 = [...new Set((await rowsShown(page)).map((r) => r[2]))];
    const firstPage = (await rowsShown(page)).map((r) => r[0]);

    // Next page by keyboard.
    const next = page.getByRole("button", { name: "Next page" });
    await next.focus();
    await page.keyboard.press("Enter");
    await page.getByText(/^Page 2 of \d+$/).waitFor({ timeout: TIMEOUT });
    await page.waitForFunction(
      (first) => {
        const cell = document.querySelector("table[aria-label^='Tracker'] tbody tr td");
        return cell && cell.innerText.trim() !== first;
      },
      firstPage[0],
      { timeout: TIMEOUT },
    );
    const secondPage = (await rowsShown(page)).map((r) => r[0]);
    result.pagesOverlap = secondPage.filter((ref) => firstPage.includes(ref));
    result.groupsOnPage2 = [...new Set((await rowsShown(page)).map((r) => r[2]))];

    // Open the first action on this page by keyboard; its page has a History table.
    const ref = secondPage.find((r) => r.startsWith("DARA")) || secondPage[0];
    await page.getByRole("button", { name: ref, exact: true }).focus();
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "History" }).waitFor({ timeout: TIMEOUT });
    result.detailHeading = await page.locator("h1:visible").innerText();
    result.focusOnHeading = await page.evaluate(() => document.activeElement?.tagName === "H1");
    result.historyRows = await page.locator("table[aria-label^='History'] tbody tr").count();
    result.axe.push(...(await axeProblems(page, "action page")));
    await page.screenshot({ path: path.join(args.shots, "tab-action.png"), fullPage: false });

    // Governance edits the action: the server saves it and the history gains Grace's rows.
    await page.getByRole("button", { name: `Edit ${ref}` }).click();
    const form = page.getByRole("form", { name: `Edit ${ref}` });
    await form.getByLabel("Title").fill("Publish the revised vetting policy");
    await form.getByLabel("Risk").selectOption("low");
    result.axe.push(...(await axeProblems(page, "edit form")));
    await form.getByRole("button", { name: "Save changes" }).focus();
    await page.keyboard.press("Enter");
    await page.getByText(`Saved ${ref}:`).waitFor({ timeout: TIMEOUT });
    result.saved = await page.getByText(`Saved ${ref}:`).innerText();
    await page.waitForFunction(
      (n) => document.querySelectorAll("table[aria-label^='History'] tbody tr").length > n,
      result.historyRows,
      { timeout: TIMEOUT },
    );
    result.historyAfterEdit = await page.locator("table[aria-label^='History'] tbody tr").count();
    result.editedBy = await page.locator("table[aria-label^='History'] tbody tr td:nth-child(2)").first().innerText();
    await page.screenshot({ path: path.join(args.shots, "tab-edit.png"), fullPage: false });

    // Back by keyboard: focus returns to the reference that was opened.
    await page.getByRole("button", { name: "Back to the tracker" }).focus();
    await page.keyboard.press("Enter");
    await page.getByText(/^Page 2 of \d+$/).waitFor({ timeout: TIMEOUT });
    await page.waitForFunction((r) => document.activeElement?.innerText?.trim() === r, ref, { timeout: TIMEOUT });
    result.focusBack = ref;

    // Dark and high contrast themes (Teams' three), checked with axe too.
    for (const theme of ["dark", "contrast"]) {
      await page.getByLabel("Theme").selectOption(theme);
      await page.locator(`[data-theme="${theme}"]`).waitFor({ timeout: TIMEOUT });
      result.axe.push(...(await axeProblems(page, `grid (${theme})`)));
    }
    await page.screenshot({ path: path.join(args.shots, "tab-grid-contrast.png"), fullPage: false });
  });
}

main();
