// Browser journeys through the real Agents Playground and the real bot (run by tests/browser/test_journeys.py).
//
//   PLAYGROUND_URLS='{"olivia":"http://127.0.0.1:P/",...}' node tests/browser/journeys.js SCENARIO ['{"param":...}']
//
// Each scenario launches headless Debian chromium (fresh profile, the CI flags in playground.js),
// opens the people's Playgrounds (already running: one per person, started by the test), drives
// the cards, takes screenshots into $TEST_ARTIFACTS_DIR (default test-artifacts/browser/) and prints
// one line `RESULT {json}` with what it saw, for pytest to check against the database.
// On failure: a screenshot of every open page (`SCENARIO-failure-PERSON.png`), the error, exit code 1.
"use strict";

const pg = require("./playground");

const URLS = JSON.parse(process.env.PLAYGROUND_URLS || "{}");
const TIMEOUT = Number(process.env.JOURNEY_STEP_TIMEOUT_MS || 20000);

/** A running Playground as playground.js's openPlayground() wants it: { url, user }. */
function instanceOf(person) {
  const url = URLS[person];
  if (!url) throw new Error(`no Playground URL for ${person} in PLAYGROUND_URLS (${Object.keys(URLS).join(", ")})`);
  return { url, user: pg.findPerson(person) };
}

function firstName(person) {
  return pg.findPerson(person).givenName;
}

async function poll(what, fn, timeoutMs = TIMEOUT) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** Every card matching `text` (string or RegExp). */
function cardsWith(page, text) {
  return pg.cards(page).filter({ hasText: text });
}

/** Wait until there are more than `before` cards matching `text`; return the newest. */
async function newCard(page, text, before, timeoutMs = TIMEOUT) {
  const matching = cardsWith(page, text);
  await poll(`a new card containing ${text} (had ${before})`, async () => (await matching.count()) > before, timeoutMs);
  return matching.last();
}

/** Type `text`, send it, and return the new card containing `expect`. */
async function ask(page, text, expect, timeoutMs = TIMEOUT) {
  const before = await cardsWith(page, expect).count();
  await pg.sendMessage(page, text);
  return newCard(page, expect, before, timeoutMs);
}

/** Wait until no new card has appeared for a moment (install activities and their answers are done). */
async function settle(page) {
  let last = -1;
  await poll("the conversation to settle", async () => {
    const now = await pg.cards(page).count();
    const settled = now === last;
    last = now;
    if (!settled) await page.waitForTimeout(800);
    return settled;
  });
}

/**
 * Open a person's Playground on "Personal Chat". Opening the chat installs the bot for them (Teams and
 * the Playground announce it twice: installationUpdate and conversationUpdate); the bot stores their
 * conversation reference and greets them the first time only.
 *
 * firstTime: this is the person's first install in this database, so exactly one greeting must come.
 * Otherwise a "hello" round trip proves the bot knows the person (and has their conversation reference,
 * so they can be reached by proactive messages) before the journey goes on.
 */
async function open(ctx, person, { firstTime = false } = {}) {
  const page = await pg.openPlayground(ctx.browser, instanceOf(person), { timeoutMs: 45000 });
  ctx.pages[person] = page;
  // A wider chat for the screenshots (the bot's own log is kept in test-artifacts/browser/logs/<run>/bot.log).
  const hide = page.locator('button[title="Hide log panel"]');
  if (await hide.count()) await hide.first().click();
  const hello = `Hello ${firstName(person)}`;
  if (firstTime) {
    await poll(`${person}'s install greeting`, async () => (await cardsWith(page, hello).count()) > 0, 30000);
    await settle(page);
  } else {
    await settle(page);
    await ask(page, "hello", hello);
  }
  return page;
}

async function text(locator) {
  return (await locator.innerText()).replace(/\s+/g, " ").trim();
}

// ---------------------------------------------------------------------------------------------- scenarios

const ROLE_LINES = {
  olivia: ["Action owner", "My actions"],
  sam: ["Single point of contact", "Action owner", "Met Operations"],
  colin: ["Chief Officer", "Met Operations", "Overdue in my group"],
  grace: ["Strategy & Governance", "Request updates"],
};

const APOLOGY = "Sorry, something went wrong";

/**
 * Everyone opens their chat for the first time (the bot is installed for them) and gets one greeting
 * and no error; then says hello and gets their role's greeting card again; Olivia also asks for help.
 * This must be the first journey on a fresh database (test_journeys.py runs it first).
 */
async function greeting(ctx) {
  const seen = {};
  for (const person of ["olivia", "sam", "colin", "grace"]) {
    const page = await open(ctx, person, { firstTime: true });
    const apologies = await page.getByText(APOLOGY).count();
    if (apologies) {
      await pg.screenshot(page, `greeting-${person}-apology`);
      throw new Error(`opening ${person}'s personal chat (installing the bot) made the bot answer "${APOLOGY}…" ` +
                      `${apologies} time(s): see the ERROR lines of the bot's log below`);
    }
    const greetings = await cardsWith(page, `Hello ${firstName(person)}`).count();
    if (greetings !== 1) {
      await pg.screenshot(page, `greeting-${person}-install`);
      throw new Error(`installing the bot for ${person} showed ${greetings} greeting cards; one install, one greeting`);
    }
    const card = await ask(page, "hello", `Hello ${firstName(person)}`);
    const body = await text(card);
    for (const line of ROLE_LINES[person]) {
      if (!body.includes(line)) throw new Error(`${person}'s greeting card lacks "${line}": ${body}`);
    }
    await pg.screenshot(page, `greeting-${person}`);
    seen[person] = body;
  }
  const help = await ask(ctx.pages.olivia, "help", "What you can ask me");
  seen.help = await text(help);
  await pg.screenshot(ctx.pages.olivia, "greeting-olivia-help");
  return seen;
}

/** The owner opens "my actions", updates the first with a delay reason and a revised date, and saves. */
async function ownerUpdate(ctx, { delayReason, revisedDate, note }) {
  const page = await open(ctx, "olivia");
  const list = await ask(page, "my actions", "Your outstanding actions");
  const listText = await text(list);
  const m = /\b1\.\s+(\S+)\s+·/.exec(listText);
  if (!m) throw new Error(`no first action on the "my actions" card: ${listText}`);
  const ref = m[1];
  await pg.screenshot(page, "owner-my-actions");
  await list.getByRole("button", { name: "Update", exact: true }).first().click();
  const form = await poll(`the update card for ${ref}`, async () => {
    const c = cardsWith(page, `Update ${ref}`).last();
    return (await c.count()) && (await c.getByRole("button", { name: "Save", exact: true }).count()) ? c : null;
  });
  await pg.fillInput(form, /^Delay reason/, delayReason);
  await pg.fillInput(form, /^Propose a revised due date/, revisedDate);
  await pg.fillInput(form, "Progress note", note);
  await pg.screenshot(page, "owner-update-filled");
  await pg.clickCardButton(form, "Save");
  const saved = await poll(`the saved card for ${ref}`, async () => {
    const c = cardsWith(page, ref).filter({ hasText: "awaiting Strategy & Governance" }).last();
    return (await c.count()) && !(await c.getByRole("button", { name: "Save", exact: true }).count()) ? c : null;
  });
  const savedText = await text(saved);
  await saved.scrollIntoViewIfNeeded();
  await pg.screenshot(page, "owner-update-saved");
  return { ref, list: listText, saved: savedText };
}

/** The chief officer asks what is overdue in his group and reads the count sentence. */
async function chiefOverdue(ctx) {
  const page = await open(ctx, "colin");
  const card = await ask(page, "what's overdue in my group", /outstanding in Met Operations/);
  const body = await text(card);
  const m = /(\d+) outstanding in Met Operations, (\d+) overdue \((\d+)%\)/.exec(body);
  if (!m) throw new Error(`no count sentence on the answer card: ${body}`);
  await card.scrollIntoViewIfNeeded();
  await pg.screenshot(page, "chief-officer-overdue");
  return { outstanding: Number(m[1]), overdue: Number(m[2]), pct: Number(m[3]), card: body };
}

/** Governance requests updates from one business group; the owner (installed first) receives the request. */
async function updateCycle(ctx, { group }) {
  const owner = await open(ctx, "olivia"); // installs the bot for her: her conversation reference is stored
  const requestsBefore = await cardsWith(owner, "Update request").count();
  const page = await open(ctx, "grace");
  const scope = await ask(page, "request updates", "What to ask about");
  await pg.fillInput(scope, "What to ask about", "One business group");
  await pg.fillInput(scope, "Business group (for 'one business group')", group);
  await pg.fillInput(scope, "Message to owners (optional)", "Please update before the Audit Panel (browser test).");
  await pg.screenshot(page, "cycle-scope");
  const previewsBefore = await cardsWith(page, "Check before sending").count();
  await pg.clickCardButton(scope, "Preview");
  const preview = await newCard(page, "Check before sending", previewsBefore);
  const previewText = await text(preview);
  await pg.screenshot(page, "cycle-preview");
  const confirm = preview.getByRole("button", { name: /^Confirm: send to \d+ owners$/ });
  await confirm.click();
  const opened = await poll("the 'update cycle opened' card", async () => {
    const c = cardsWith(page, /Update cycle \d+ opened/).last();
    return (await c.count()) ? c : null;
  });
  const openedText = await text(opened);
  await pg.screenshot(page, "cycle-opened");
  const request = await newCard(owner, "Update request", requestsBefore, 60000);
  const requestText = await text(request);
  await request.scrollIntoViewIfNeeded();
  await pg.screenshot(owner, "cycle-owner-request");
  return { preview: previewText, opened: openedText, request: requestText };
}

/**
 * Every card with a chart, as governance sees it, photographed at Teams' narrow and wide card widths
 * (docs/img/chart-*.png, shown in docs/journeys/questions.md): the panel report and one answer per
 * kind of chart. CHART_SHOTS_DIR (default: the artifacts folder) is where the PNGs go.
 */
const CHART_QUESTIONS = [
  ["panel-report", "panel report", /Audit Panel report/],
  ["outstanding-by-group", "outstanding high risk actions", /Outstanding actions/],
  ["due-by-quarter", "what is due in the next 12 months", /Forthcoming actions/],
  ["delay-reasons", "why are we delayed", /Delay reasons/],
  ["hmicfrs-by-theme", "open HMICFRS recommendations", /HMICFRS/],
];
// Teams' card widths: about 320 px of card on a phone, the Playground's (Teams desktop's) own width.
const NARROW_CARD_PX = 320;

async function chartCards(ctx) {
  const dir = process.env.CHART_SHOTS_DIR || process.env.TEST_ARTIFACTS_DIR || "test-artifacts/browser";
  require("fs").mkdirSync(dir, { recursive: true });
  const page = await open(ctx, "grace");
  await page.setViewportSize({ width: 1200, height: 4200 }); // a whole card in view: nothing scrolled under the header
  const shots = [];
  for (const [name, question, expect] of CHART_QUESTIONS) {
    const card = await ask(page, question, expect, 60000);
    await page.waitForTimeout(800); // the charts draw after the card
    await card.scrollIntoViewIfNeeded();
    const wide = require("path").join(dir, `chart-${name}-wide.png`);
    await card.screenshot({ path: wide });
    await card.evaluate((el, px) => {
      el.style.width = `${px}px`;
      el.style.maxWidth = `${px}px`;
    }, NARROW_CARD_PX);
    await page.waitForTimeout(800); // the charts redraw for the new width
    await card.scrollIntoViewIfNeeded();
    const narrow = require("path").join(dir, `chart-${name}-narrow.png`);
    await card.screenshot({ path: narrow });
    shots.push(wide, narrow);
  }
  return { shots };
}

const SCENARIOS = { greeting, ownerUpdate, chiefOverdue, updateCycle, chartCards };

// ---------------------------------------------------------------------------------------------- runner

async function run(name, params) {
  const scenario = SCENARIOS[name];
  if (!scenario) throw new Error(`unknown scenario ${name}: try ${Object.keys(SCENARIOS).join(", ")}`);
  const ctx = { browser: await pg.launchBrowser(), pages: {} };
  const started = Date.now();
  try {
    const result = await scenario(ctx, params);
    process.stdout.write(`RESULT ${JSON.stringify({ ok: true, seconds: (Date.now() - started) / 1000, ...result })}\n`);
  } catch (error) {
    for (const [person, page] of Object.entries(ctx.pages)) {
      try {
        const file = await pg.screenshot(page, `${name}-failure-${person}`, { fullPage: true });
        process.stderr.write(`screenshot of ${person}'s page: ${file}\n`);
      } catch (_) {
        /* the page may be gone */
      }
    }
    throw error;
  } finally {
    await ctx.browser.close();
  }
}

if (require.main === module) {
  const [name, params] = process.argv.slice(2);
  run(name, params ? JSON.parse(params) : {}).catch((error) => {
    process.stderr.write(`${name} failed: ${error && error.stack ? error.stack : error}\n`);
    process.exit(1);
  });
}

module.exports = { SCENARIOS, run };
