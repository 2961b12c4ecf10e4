#!/usr/bin/env node
// Validate Adaptive Cards with the official JavaScript renderer (npm `adaptivecards`).
//
// stdin:  a JSON array of Adaptive Card objects.
// stdout: a JSON array of {index, errors: [...], warnings: [...], bytes}, one per card.
// exit:   0 when the batch was read (whatever the cards' verdicts), 2 on unreadable input.
//
// On top of the renderer's own parse and validation events it checks what Teams needs:
// top-level type "AdaptiveCard", version "1.5", compact JSON under 28 KB, and element or
// action types unknown to the renderer at 1.5 (Teams charts such as Chart.Donut, 1.6
// elements) only when they carry a `fallback`. Cards in Action.ShowCard are checked too.
"use strict";

const AC = require("adaptivecards/dist/adaptivecards.js");

const TARGET = AC.Versions.v1_5;
const TARGET_VERSION = "1.5";
const MAX_BYTES = 28 * 1024;

// Renderer events that are advice rather than faults.
const WARNING_EVENTS = new Set([
  AC.ValidationEvent.Hint,
  AC.ValidationEvent.Deprecated,
  AC.ValidationEvent.RequiredInputsShouldHaveLabel,
  AC.ValidationEvent.RequiredInputsShouldHaveErrorMessage,
]);
const UNKNOWN_TYPE_EVENTS = new Set([
  AC.ValidationEvent.UnknownElementType,
  AC.ValidationEvent.UnknownActionType,
]);

function knownAt(registry, typeName) {
  const reg = registry.findByName(typeName);
  return !!reg && (!reg.schemaVersion || reg.schemaVersion.compareTo(TARGET) <= 0);
}

const shown = (v) => (v === undefined ? "nothing" : JSON.stringify(v));
const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

// Walk the card JSON the way the renderer parses it and sort types it does not know at 1.5
// into accepted (they have a fallback) and rejected (they do not).
function checkTypes(card, path, out) {
  const visit = (obj, kind, where) => {
    if (!isObject(obj)) return;
    const typeName = obj.type;
    const registry = kind === "action" ? AC.GlobalRegistry.actions : AC.GlobalRegistry.elements;
    if (typeof typeName === "string" && !knownAt(registry, typeName)) {
      if (obj.fallback === undefined) {
        out.rejected.add(typeName);
        out.errors.push(`${where}: unknown ${kind} type "${typeName}" for version ${TARGET_VERSION} and no fallback`);
      } else {
        out.accepted.add(typeName);
        out.warnings.push(`${where}: ${kind} type "${typeName}" is unknown to the renderer; accepted because it has a fallback`);
      }
    }
    if (isObject(obj.fallback)) visit(obj.fallback, kind, `${where}.fallback`);
    walk(obj, where);
  };
  const visitList = (list, kind, where) => {
    if (Array.isArray(list)) list.forEach((o, i) => visit(o, kind, `${where}[${i}]`));
  };
  const walk = (obj, where) => {
    for (const [key, value] of Object.entries(obj)) {
      if (key === "data" || key === "fallback" || key === "type") continue; // payloads are not card structure
      const at = `${where}.${key}`;
      if (key === "body" || key === "items") visitList(value, "element", at);
      else if (key === "actions") visitList(value, "action", at);
      else if (key === "selectAction" || key === "inlineAction" || key === "action") visit(value, "action", at);
      else if (key === "card" && isObject(value)) {
        if (value.type !== undefined && value.type !== "AdaptiveCard") {
          out.errors.push(`${at}: nested card type must be "AdaptiveCard", got ${shown(value.type)}`);
        }
        walk(value, at);
      } else if (Array.isArray(value)) value.forEach((v, i) => isObject(v) && walk(v, `${at}[${i}]`));
      else if (isObject(value)) walk(value, at);
    }
  };
  walk(card, path);
}

function eventText(e) {
  const source = e.source && typeof e.source.getJsonTypeName === "function" ? e.source.getJsonTypeName() : "";
  const name = AC.ValidationEvent[e.event];
  return `${name}${source ? ` (${source})` : ""}: ${e.message}`;
}

function validateOne(card, index) {
  const report = { index, errors: [], warnings: [], bytes: 0 };
  let text;
  try {
    text = JSON.stringify(card);
  } catch (err) {
    report.errors.push(`card cannot be serialised: ${err.message}`);
    return report;
  }
  report.bytes = Buffer.byteLength(text === undefined ? "" : text, "utf8");
  if (!isObject(card)) {
    report.errors.push(`a card must be a JSON object, got ${Array.isArray(card) ? "an array" : typeof card}`);
    return report;
  }
  if (card.type !== "AdaptiveCard") {
    report.errors.push(`top-level "type" must be "AdaptiveCard", got ${shown(card.type)}`);
  }
  if (card.version !== TARGET_VERSION) {
    report.errors.push(`"version" must be "${TARGET_VERSION}" (what Teams renders), got ${shown(card.version)}`);
  }
  if (report.bytes >= MAX_BYTES) {
    report.errors.push(`card is ${report.bytes} bytes; Teams needs under ${MAX_BYTES} (28 KB)`);
  }

  const types = { accepted: new Set(), rejected: new Set(), errors: [], warnings: [] };
  checkTypes(card, "$", types);
  report.errors.push(...types.errors);
  report.warnings.push(...types.warnings);

  const context = new AC.SerializationContext(TARGET);
  const parsed = new AC.AdaptiveCard();
  try {
    parsed.parse(card, context);
  } catch (err) {
    report.errors.push(`renderer failed to parse the card: ${err.message}`);
    return report;
  }
  const events = [];
  for (let i = 0; i < context.eventCount; i++) events.push(context.getEventAt(i));
  events.push(...parsed.validateProperties().validationEvents);
  for (const e of events) {
    if (UNKNOWN_TYPE_EVENTS.has(e.event)) {
      // Already judged above, with a path; keep any the walk did not see.
      const m = /type "([^"]*)"/.exec(e.message);
      if (m && (types.accepted.has(m[1]) || types.rejected.has(m[1]))) continue;
    }
    (WARNING_EVENTS.has(e.event) ? report.warnings : report.errors).push(eventText(e));
  }
  return report;
}

function main() {
  const chunks = [];
  process.stdin.on("data", (c) => chunks.push(c));
  process.stdin.on("end", () => {
    let cards;
    try {
      cards = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch (err) {
      process.stderr.write(`validate_cards: stdin is not JSON: ${err.message}\n`);
      process.exit(2);
    }
    if (!Array.isArray(cards)) {
      process.stderr.write("validate_cards: stdin must be a JSON array of cards\n");
      process.exit(2);
    }
    process.stdout.write(JSON.stringify(cards.map(validateOne)));
    process.stdout.write("\n");
  });
}

if (require.main === module) main();

module.exports = { validateOne };
