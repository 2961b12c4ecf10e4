// The tab's calls to /api/tab/: with a Teams SSO token inside Teams, or the demo person in local mode.
import { app, authentication } from "@microsoft/teams-js";

const TEAMS_TIMEOUT_MS = 5000;

export class ApiError extends Error {
  constructor(status, message, code) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export async function readConfig() {
  const response = await fetch("/api/tab/config", { headers: { Accept: "application/json" } });
  if (!response.ok) throw new ApiError(response.status, "The tracker is not answering; try again shortly.");
  return response.json();
}

// True when the page runs framed by a host (Teams); a plain browser tab has no parent.
export function isFramed() {
  return window.parent !== window || Boolean(window.opener);
}

// Initialise TeamsJS; resolves with the host's context, rejects when no Teams answers in time.
export async function startTeams() {
  const timeout = new Promise((_, reject) =>
    setTimeout(() => reject(new Error("Teams did not answer")), TEAMS_TIMEOUT_MS),
  );
  await Promise.race([app.initialize(), timeout]);
  return app.getContext();
}

export function onTeamsTheme(handler) {
  app.registerOnThemeChangeHandler(handler);
}

// A client for the API: `identify(headers)` adds who is asking.
export function makeClient(identify) {
  async function get(path, params) {
    const url = new URL(path, window.location.origin);
    for (const [name, value] of Object.entries(params || {})) {
      for (const one of [].concat(value)) {
        if (one !== undefined && one !== null && one !== "") url.searchParams.append(name, one);
      }
    }
    const headers = await identify({ Accept: "application/json" });
    const response = await fetch(url, { headers });
    let body = null;
    try {
      body = await response.json();
    } catch {
      body = null;
    }
    if (!response.ok) {
      throw new ApiError(response.status, (body && body.error) || `The tracker answered ${response.status}.`, body && body.code);
    }
    return body;
  }
  get.identify = identify; // uploads and downloads (below) sign in the same way
  return get;
}

// A client for the API's changes: PATCH (or `method`, e.g. POST) with a JSON body; resolves to
// { ok, status, body } whatever the server answers, so the form can show the server's words beside each field.
export function makeSender(identify) {
  return async function send(path, body, method = "PATCH") {
    const headers = await identify({ Accept: "application/json", "Content-Type": "application/json" });
    const response = await fetch(new URL(path, window.location.origin), { method, headers, body: JSON.stringify(body) });
    let answer = {};
    try {
      answer = await response.json();
    } catch {
      answer = { error: `The tracker answered ${response.status}.` };
    }
    return { ok: response.ok, status: response.status, body: answer };
  };
}

export function teamsIdentity() {
  return async (headers) => {
    let token;
    try {
      token = await authentication.getAuthToken(); // TeamsJS caches it and renews it when it expires
    } catch (error) {
      throw new ApiError(
        401,
        `Teams could not sign you in to the Tracker (${error?.message || error}). Reopen the tab; if it ` +
          "happens again, ask your Teams administrator to grant the app consent.",
      );
    }
    return { ...headers, Authorization: `Bearer ${token}` };
  };
}

export function localIdentity(personId) {
  return async (headers) => ({ ...headers, "X-Tab-Person": String(personId) });
}

// POST a file (multipart: `file`, and any text fields) to the API; resolves to { ok, status, body }
// whatever the server answers, so the page can show the server's own words.
export async function uploadFile(identify, path, file, fields) {
  const form = new FormData();
  form.append("file", file, file.name);
  for (const [name, value] of Object.entries(fields || {})) form.append(name, value);
  const headers = await identify({ Accept: "application/json" });
  const response = await fetch(new URL(path, window.location.origin), { method: "POST", headers, body: form });
  let body = {};
  try {
    body = await response.json();
  } catch {
    body = { error: `The tracker answered ${response.status}.` };
  }
  return { ok: response.ok, status: response.status, body };
}

// GET a file from the API (signed in like every call) and hand it to the browser as a download,
// named as the server's Content-Disposition says. Throws ApiError with the server's words.
export async function downloadFile(identify, path, params) {
  const url = new URL(path, window.location.origin);
  for (const [name, value] of Object.entries(params || {})) if (value) url.searchParams.append(name, value);
  const headers = await identify({});
  const response = await fetch(url, { headers });
  if (!response.ok) {
    let body = null;
    try {
      body = await response.json();
    } catch {
      body = null;
    }
    throw new ApiError(response.status, (body && body.error) || `The tracker answered ${response.status}.`, body && body.code);
  }
  const named = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") || "");
  const name = named ? named[1] : "download";
  const link = document.createElement("a");
  link.href = URL.createObjectURL(await response.blob());
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 60000);
  return name;
}
