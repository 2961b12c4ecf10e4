// Drive the Microsoft 365 Agents Playground headless, for browser tests (see docs/playground.md).
//
// The Playground (npm @microsoft/m365agentsplayground) talks as ONE mock user, its config's
// `currentUser`, and has no user switcher. So each person gets their own Playground instance
// (own port, own config, own personal chat), all posting to the same bot; switching user means
// opening that person's instance. Proactive messages reach a person through their instance's
// serviceUrl, so a governance user in one tab can send a card that an owner sees in another.
//
// Library:
//   const pg = require("./tests/browser/playground");
//   const people = pg.loadPeople();                         // from .m365agentsplayground.yml
//   const olivia = await pg.startPlayground({ user: "olivia" });   // 127.0.0.1 only
//   const browser = await pg.launchBrowser();
//   const page = await pg.openPlayground(browser, olivia);
//   await pg.sendMessage(page, "my actions");
//   const card = await pg.waitForCard(page, "ACT-001");
//   await pg.fillInput(card, "Progress note", "Supplier chased");
//   await pg.clickCardButton(card, "Save");
//   await pg.screenshot(page, "owner-saved");
//   await browser.close(); await olivia.stop();
//
// Command line (what `make playground` can run, one per person; Ctrl-C stops it):
//   node tests/browser/playground.js serve --user olivia --port 56150 [--bot-endpoint URL]
//   node tests/browser/playground.js people      # the mock users, as JSON
"use strict";

const { spawn } = require("node:child_process");
const fs = require("node:fs");
const net = require("node:net");
const os = require("node:os");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..", "..");
const PLAYGROUND_CLI = path.join(ROOT, "node_modules", "@microsoft", "m365agentsplayground", "cli.js");
const BASE_CONFIG = path.join(ROOT, ".m365agentsplayground.yml");
const DEFAULT_BOT_ENDPOINT = "http://127.0.0.1:3978/api/messages";
const DEFAULT_PORT = 56150;
const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const ARTIFACTS = process.env.TEST_ARTIFACTS_DIR || path.join(ROOT, "test-artifacts", "browser");

// Selectors for Playground 0.2.28 (Fluent UI; its class names are hashed, so only roles,
// aria labels and attributes are used).
const SELECTORS = {
  messageBox: '[role="textbox"][contenteditable="true"][data-lexical-editor="true"]',
  sendButton: 'button[aria-label="Send Message"]',
  conversation: (name) => `[role="treeitem"][aria-label="${name}"]`,
  messageAuthor: '[aria-label="Message author"]', // author line of the bot's messages ("Audit Tracker")
  mentionOption: '#typeahead-menu [role="menuitem"]', // after typing "@" in the message box
  card: 'div[dir="ltr"][tabindex="0"]', // an Adaptive Card root; filtered to those with [id^="__ac-"]
  cardElement: '[id^="__ac-"]',
  invokeNotice: "text=Your response was sent to the app",
  logPanel: "text=Log Panel",
};

// ---------------------------------------------------------------- config (.m365agentsplayground.yml)

// Enough YAML for the Playground config: nested maps, lists of maps, scalars, comments.
function parseSimpleYaml(text) {
  const lines = [];
  for (const raw of text.split(/\r?\n/)) {
    const noComment = stripComment(raw);
    if (!noComment.trim()) continue;
    lines.push({ indent: noComment.length - noComment.trimStart().length, text: noComment.trim() });
  }
  let i = 0;
  const scalar = (s) => {
    if (s === "") return null;
    if ((s.startsWith('"') && s.endsWith('"')) || (s.startsWith("'") && s.endsWith("'"))) {
      return s.startsWith('"') ? JSON.parse(s) : s.slice(1, -1).replace(/''/g, "'");
    }
    return s;
  };
  const splitKey = (s) => {
    const m = /^("[^"]*"|'[^']*'|[^:]+):(?:\s+(.*))?$/.exec(s);
    if (!m) throw new Error(`unsupported YAML line: ${s}`);
    return [scalar(m[1].trim()), (m[2] || "").trim()];
  };
  function block(indent) {
    if (i >= lines.length || lines[i].indent < indent) return null;
    if (lines[i].text.startsWith("- ")) {
      const list = [];
      while (i < lines.length && lines[i].indent === indent && lines[i].text.startsWith("- ")) {
        const first = lines[i].text.slice(2).trim();
        const itemIndent = indent + 2;
        if (/^[^"'][^:]*:(\s|$)|^["'][^"']*["']:(\s|$)/.test(first)) {
          lines[i] = { indent: itemIndent, text: first }; // reread the first key at the item's indent
          list.push(map(itemIndent));
        } else {
          i += 1;
          list.push(scalar(first));
        }
      }
      return list;
    }
    return map(indent);
  }
  function map(indent) {
    const out = {};
    while (i < lines.length && lines[i].indent === indent && !lines[i].text.startsWith("- ")) {
      const [key, rest] = splitKey(lines[i].text);
      i += 1;
      if (rest) out[key] = scalar(rest);
      else if (i < lines.length && lines[i].indent > indent) out[key] = block(lines[i].indent);
      else if (i < lines.length && lines[i].indent === indent && lines[i].text.startsWith("- ")) out[key] = block(indent);
      else out[key] = null;
    }
    return out;
  }
  return block(0);
}

function stripComment(line) {
  let quote = null;
  for (let k = 0; k < line.length; k++) {
    const c = line[k];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "#" && (k === 0 || /\s/.test(line[k - 1]))) return line.slice(0, k).trimEnd();
  }
  return line.trimEnd();
}

function loadConfig(configPath = BASE_CONFIG) {
  return parseSimpleYaml(fs.readFileSync(configPath, "utf8"));
}

/** Everyone in the config: currentUser first, then users. */
function loadPeople(configPath = BASE_CONFIG) {
  const config = loadConfig(configPath);
  return [config.currentUser, ...config.users];
}

const slug = (s) => String(s).toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");

/** A person by name, first name, email, UPN, aadObjectId or id (case-insensitive). */
function findPerson(who, people = loadPeople()) {
  if (who && typeof who === "object") return who;
  const key = String(who).toLowerCase();
  const match = people.find((p) =>
    [p.name, p.givenName, p.email, p.userPrincipleName, p.aadObjectId, p.id, slug(p.name)]
      .filter(Boolean)
      .some((v) => String(v).toLowerCase() === key)
  );
  if (!match) throw new Error(`no mock user "${who}" in ${BASE_CONFIG}: try ${people.map((p) => p.name).join(", ")}`);
  return match;
}

/** The base config with `who` as currentUser (and their own personal chat); the rest stay users. */
function configFor(who, configPath = BASE_CONFIG) {
  const config = loadConfig(configPath);
  const people = [config.currentUser, ...config.users];
  const me = findPerson(who, people);
  return Object.assign({}, config, {
    currentUser: me,
    users: people.filter((p) => p.id !== me.id),
    personalChat: { id: `personal-chat-${slug(me.name)}` },
  });
}

/** Write configFor(who) as a file the Playground reads (JSON is valid YAML). */
function writeUserConfig(who, outPath, configPath = BASE_CONFIG) {
  fs.mkdirSync(path.dirname(outPath), { recursive: true });
  fs.writeFileSync(outPath, JSON.stringify(configFor(who, configPath), null, 2) + "\n");
  return outPath;
}

// ---------------------------------------------------------------- the Playground server

/** Make every listen() without an explicit host bind to 127.0.0.1 (the Playground has no host option). */
function bindLoopbackOnly(host = "127.0.0.1") {
  const original = net.Server.prototype.listen;
  if (original.__loopbackOnly) return;
  const patched = function listen(...args) {
    const first = args[0];
    if (typeof first === "number" || (typeof first === "string" && /^\d+$/.test(first))) {
      if (typeof args[1] !== "string") args.splice(1, 0, host);
    } else if (first && typeof first === "object" && first.path === undefined && !first.host) {
      args[0] = Object.assign({}, first, { host });
    }
    return original.apply(this, args);
  };
  patched.__loopbackOnly = true;
  net.Server.prototype.listen = patched;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function playgroundArgs({ port, botEndpoint }) {
  return [
    "--port", String(port),
    "--app-endpoint", botEndpoint,
    "--service-url", `http://127.0.0.1:${port}/_connector`,
    "--channel-id", "msteams",
    "--disable-telemetry",
  ];
}

function playgroundEnv({ configPath, port }) {
  return Object.assign({}, process.env, {
    TEAMSAPPTESTER_BROWSER: "none", // never try to open a desktop browser
    M365_AGENTS_PLAYGROUND_CONFIG_PATH: configPath,
    M365_AGENTS_PLAYGROUND_LOGFILE:
      process.env.M365_AGENTS_PLAYGROUND_LOGFILE || path.join(os.tmpdir(), `m365agentsplayground-${port}.log`),
  });
}

/**
 * Start a Playground for one person, bound to 127.0.0.1.
 * Resolves to { user, port, url, configPath, process, logs(), stop() } once it listens.
 */
async function startPlayground({
  user = "olivia",
  port,
  botEndpoint = process.env.BOT_ENDPOINT || DEFAULT_BOT_ENDPOINT,
  configPath = BASE_CONFIG,
  workDir,
  timeoutMs = 30000,
} = {}) {
  if (!fs.existsSync(PLAYGROUND_CLI)) {
    throw new Error(`${PLAYGROUND_CLI} is missing: run \`make node\``);
  }
  const person = findPerson(user, loadPeople(configPath));
  port = port || (await freePort());
  const ownDir = !workDir;
  const dir = workDir || fs.mkdtempSync(path.join(os.tmpdir(), `playground-${slug(person.name)}-`));
  const userConfig = writeUserConfig(person, path.join(dir, ".m365agentsplayground.yml"), configPath);
  const child = spawn(
    process.execPath,
    [__filename, "serve-raw", "--", ...playgroundArgs({ port, botEndpoint })],
    { cwd: dir, env: playgroundEnv({ configPath: userConfig, port }), stdio: ["ignore", "pipe", "pipe"] }
  );
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const instance = {
    user: person,
    port,
    url: `http://127.0.0.1:${port}/`,
    configPath: userConfig,
    process: child,
    logs: () => output,
    stop: async () => {
      await stopProcess(child);
      if (ownDir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stopProcess(child);
      reject(new Error(`Playground for ${person.name} did not start in ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const check = () => {
      const m = /Listening on (\d+)/.exec(output);
      if (!m) return;
      clearTimeout(timer);
      child.stdout.off("data", check);
      if (Number(m[1]) !== port) {
        stopProcess(child);
        reject(new Error(`Playground took port ${m[1]} instead of ${port} (busy?)`));
      } else resolve();
    };
    child.stdout.on("data", check);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`Playground for ${person.name} exited with ${code}:\n${output}`));
    });
  });
  return instance;
}

function stopProcess(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
    setTimeout(() => child.exitCode === null && child.kill("SIGKILL"), 3000).unref();
  });
}

// ---------------------------------------------------------------- the browser

/** Headless Debian chromium with a fresh profile. Resolves to { context, close() }. */
async function launchBrowser({ viewport = { width: 1400, height: 900 }, executablePath = CHROMIUM } = {}) {
  if (!fs.existsSync(executablePath)) {
    throw new Error(`${executablePath} is missing: run \`make node\` as root (apt-get install chromium)`);
  }
  const { chromium } = require("playwright-core");
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "chromium-profile-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport,
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Open a person's Playground in a new tab (or `page`) and select a conversation
 * ("Personal Chat" by default; the group chat and channels by their names).
 */
async function openPlayground(browser, instance, { conversation = "Personal Chat", page, timeoutMs = 30000 } = {}) {
  const context = browser.context || browser;
  page = page || (await context.newPage());
  await page.goto(instance.url, { waitUntil: "domcontentloaded" });
  // The header shows the mock user's name once the config is loaded.
  await page.getByText(instance.user.name, { exact: true }).first().waitFor({ timeout: timeoutMs });
  await page.locator(SELECTORS.conversation(conversation)).click({ timeout: timeoutMs });
  await page.locator(SELECTORS.messageBox).waitFor({ timeout: timeoutMs });
  page.playground = instance;
  return page;
}

/** Show another person: open (or reuse) `page` on their instance from `instances` (name -> instance). */
async function switchUser(browser, instances, who, options = {}) {
  const list = Array.isArray(instances) ? instances : Object.values(instances);
  const person = findPerson(who, list.map((x) => x.user));
  const instance = list.find((x) => x.user.id === person.id);
  return openPlayground(browser, instance, options);
}

/**
 * Type `text` in the compose box and send it. In a group chat or channel the bot only hears
 * messages that @mention it: pass { mention: "Audit Tracker" } (the bot's name in the config).
 */
async function sendMessage(page, text, { mention } = {}) {
  const box = page.locator(SELECTORS.messageBox);
  await box.click();
  if (mention) {
    await page.keyboard.type("@");
    await page.locator(SELECTORS.mentionOption).filter({ hasText: mention }).first().click();
    await page.keyboard.type(" ");
  }
  await page.keyboard.type(text);
  await page.locator(SELECTORS.sendButton).click();
}

function cards(page) {
  return page.locator(SELECTORS.card).filter({ has: page.locator(SELECTORS.cardElement) });
}

/** The newest Adaptive Card whose text contains `text` (string or RegExp). */
async function waitForCard(page, text, { timeoutMs = 15000 } = {}) {
  const card = cards(page).filter({ hasText: text }).last();
  await card.waitFor({ timeout: timeoutMs });
  return card;
}

/** Wait for a plain text reply (or any text) in the conversation. */
async function waitForText(page, text, { timeoutMs = 15000 } = {}) {
  const el = page.getByText(text).last();
  await el.waitFor({ timeout: timeoutMs });
  return el;
}

async function clickCardButton(card, title) {
  await card.getByRole("button", { name: title, exact: true }).click();
}

/**
 * Fill a card input by its label (the Playground renders card ids as random __ac-… ids, so the
 * card's own input id cannot be targeted; give every input a label). Handles Input.Text/Number,
 * Input.Date ("YYYY-MM-DD"), Input.ChoiceSet compact or expanded (the choice's title; a list of
 * titles for isMultiSelect) and Input.Toggle (true/false). `label` is the exact label (a required
 * input's " *" marker may be left off) or a RegExp.
 */
async function fillInput(card, label, value) {
  let matches = card.getByLabel(label, { exact: true });
  if (typeof label === "string" && (await matches.count()) === 0) {
    // isRequired inputs: the renderer appends a " *" marker to the label
    const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    matches = card.getByLabel(new RegExp(`^${escaped}\\s*\\*$`));
  }
  const input = matches.first();
  const role = await input.getAttribute("role");
  const type = await input.getAttribute("type");
  const page = card.page();
  if (type === "checkbox" && typeof value === "boolean") {
    await input.setChecked(value); // Input.Toggle
  } else if (type === "checkbox") {
    // expanded multi-select Input.ChoiceSet: every checkbox carries the label; pick by choice title
    for (const title of Array.isArray(value) ? value : [value]) {
      await matches.and(card.locator(`input[type="checkbox"][aria-label=${JSON.stringify(String(title))}]`)).check();
    }
  } else if (role === "radiogroup") {
    // expanded single-select Input.ChoiceSet: radio buttons
    await input.getByRole("radio", { name: String(value), exact: true }).check();
  } else if (role === "combobox" && (await input.getAttribute("aria-haspopup")) === "dialog") {
    await input.fill(String(value)); // date picker: typed text is parsed on Enter
    await input.press("Enter");
    await page.keyboard.press("Escape"); // close the calendar, which otherwise covers the card
  } else if (role === "combobox") {
    await input.click();
    await page.getByRole("option", { name: String(value), exact: true }).click();
  } else {
    await input.fill(String(value));
  }
}

async function screenshot(page, name, { dir = ARTIFACTS, fullPage = false } = {}) {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name.replace(/[^\w.-]+/g, "_")}.png`);
  await page.screenshot({ path: file, fullPage });
  return file;
}

// ---------------------------------------------------------------- command line

function parseArgs(argv) {
  const out = {};
  for (let k = 0; k < argv.length; k++) {
    const m = /^--([\w-]+)$/.exec(argv[k]);
    if (m) out[m[1]] = argv[k + 1] && !argv[k + 1].startsWith("--") ? argv[++k] : true;
  }
  return out;
}

function main(argv) {
  const [command, ...rest] = argv;
  if (command === "serve-raw") {
    // Internal: run the Playground CLI in this process, bound to 127.0.0.1.
    bindLoopbackOnly();
    const extra = rest[0] === "--" ? rest.slice(1) : rest;
    process.argv = [process.argv[0], PLAYGROUND_CLI, ...extra];
    require(PLAYGROUND_CLI);
    return;
  }
  if (command === "serve") {
    const opts = parseArgs(rest);
    const person = findPerson(opts.user || "olivia");
    const port = Number(opts.port || DEFAULT_PORT);
    const dir = opts["work-dir"] || path.join(os.tmpdir(), `playground-${slug(person.name)}`);
    const configPath = writeUserConfig(person, path.join(dir, ".m365agentsplayground.yml"));
    Object.assign(process.env, playgroundEnv({ configPath, port }));
    process.chdir(dir);
    bindLoopbackOnly();
    process.argv = [
      process.argv[0],
      PLAYGROUND_CLI,
      ...playgroundArgs({ port, botEndpoint: opts["bot-endpoint"] || process.env.BOT_ENDPOINT || DEFAULT_BOT_ENDPOINT }),
    ];
    console.log(`Agents Playground for ${person.name} on http://127.0.0.1:${port}/`);
    require(PLAYGROUND_CLI);
    return;
  }
  if (command === "people") {
    process.stdout.write(JSON.stringify(loadPeople(), null, 2) + "\n");
    return;
  }
  process.stderr.write(
    "usage: node tests/browser/playground.js serve [--user NAME] [--port N] [--bot-endpoint URL]\n" +
      "       node tests/browser/playground.js people\n"
  );
  process.exitCode = 2;
}

if (require.main === module) main(process.argv.slice(2));

module.exports = {
  SELECTORS,
  CHROMIUM_FLAGS,
  DEFAULT_PORT,
  DEFAULT_BOT_ENDPOINT,
  parseSimpleYaml,
  loadConfig,
  loadPeople,
  findPerson,
  configFor,
  writeUserConfig,
  bindLoopbackOnly,
  freePort,
  startPlayground,
  launchBrowser,
  openPlayground,
  switchUser,
  sendMessage,
  cards,
  waitForCard,
  waitForText,
  clickCardButton,
  fillInput,
  screenshot,
};
