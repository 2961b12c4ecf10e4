// The Tracker tab: decides how the page signs in (Teams SSO, or a demo person in local mode), the
// theme (Teams' default, dark or high contrast), and shows the governance workspace.
import { useEffect, useState } from "react";
import { createRoot } from "react-dom/client";
import {
  FluentProvider,
  RendererProvider,
  createDOMRenderer,
  teamsLightTheme,
  teamsDarkTheme,
  teamsHighContrastTheme,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  makeStyles,
} from "@fluentui/react-components";
import { isFramed, localIdentity, makeClient, makeSender, onTeamsTheme, readConfig, startTeams, teamsIdentity } from "./api.js";
import { LocalPicker } from "./LocalPicker.jsx";
import { Workspace } from "./Workspace.jsx";

const THEMES = { default: teamsLightTheme, dark: teamsDarkTheme, contrast: teamsHighContrastTheme };

function themeFromAddress() {
  const asked = new URLSearchParams(window.location.search).get("theme");
  return THEMES[asked] ? asked : "default";
}

// The provider paints the whole page in the theme's background, not only the content's height.
const useRootStyles = makeStyles({ root: { minHeight: "100vh" } });

function Tab() {
  const rootStyles = useRootStyles();
  const [state, setState] = useState({ phase: "loading" });
  const [theme, setTheme] = useState(themeFromAddress());

  useEffect(() => {
    (async () => {
      let config;
      try {
        config = await readConfig();
      } catch (error) {
        setState({ phase: "error", message: error.message });
        return;
      }
      if (config.localMode) {
        setState({ phase: "local" });
        return;
      }
      if (!isFramed()) {
        setState({ phase: "outside" });
        return;
      }
      try {
        const context = await startTeams();
        setTheme(THEMES[context.app.theme] ? context.app.theme : "default");
        onTeamsTheme((name) => setTheme(THEMES[name] ? name : "default"));
        setState({ phase: "teams", get: makeClient(teamsIdentity()), send: makeSender(teamsIdentity()) });
      } catch {
        setState({ phase: "outside" });
      }
    })();
  }, []);

  let body;
  if (state.phase === "loading") body = <Spinner label="Loading the tracker…" />;
  else if (state.phase === "error") body = <Notice intent="error" title="The tracker is not answering" text={state.message} />;
  else if (state.phase === "outside")
    body = (
      <Notice
        intent="info"
        title="Open the Tracker in Microsoft Teams"
        text="This page signs you in through Teams. Open the audit tracker app in Teams and choose its Tracker tab."
      />
    );
  else if (state.phase === "local") body = <LocalMode theme={theme} setTheme={setTheme} />;
  else body = <Workspace get={state.get} send={state.send} />;
  return (
    <FluentProvider theme={THEMES[theme]} className={rootStyles.root} data-theme={theme}>
      <main>{body}</main>
    </FluentProvider>
  );
}

function Notice({ intent, title, text }) {
  return (
    <MessageBar intent={intent} role={intent === "error" ? "alert" : "status"}>
      <MessageBarBody>
        <MessageBarTitle>{title}</MessageBarTitle> {text}
      </MessageBarBody>
    </MessageBar>
  );
}

function LocalMode({ theme, setTheme }) {
  const [person, setPerson] = useState(null);
  return (
    <>
      <MessageBar intent="warning" role="status" className="local-banner">
        <MessageBarBody>
          <MessageBarTitle>Local mode</MessageBarTitle> No sign-in: you act as the demo person you pick. The server
          refuses this as soon as an app id is set.
        </MessageBarBody>
      </MessageBar>
      <LocalPicker person={person} onPick={setPerson} theme={theme} onTheme={setTheme} themes={Object.keys(THEMES)} />
      {person ? <Workspace key={person} get={makeClient(localIdentity(person))} send={makeSender(localIdentity(person))} /> : null}
    </>
  );
}

const nonce = document.querySelector('meta[name="csp-nonce"]')?.getAttribute("content") || "";
const renderer = createDOMRenderer(document, { styleElementAttributes: nonce ? { nonce } : {} });
createRoot(document.getElementById("root")).render(
  <RendererProvider renderer={renderer} targetDocument={document}>
    <Tab />
  </RendererProvider>,
);
