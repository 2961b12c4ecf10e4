// What the server said about a form that was not saved (or that was): one message bar, and each
// problem by section, row and field so a form can show it beside the input it concerns.
import { MessageBar, MessageBarBody } from "@fluentui/react-components";

// problems: the 422's list of { section, row, field, message, line }; returns (section, row, field) => words.
export function problemsBy(problems) {
  const found = new Map((problems || []).map((p) => [`${p.section}:${p.row}:${p.field}`, p.message]));
  return (section, row, field) => found.get(`${section}:${row}:${field}`);
}

// The Field props that show a problem beside its input.
export function hintFor(words) {
  return words ? { validationMessage: words, validationState: "error" } : {};
}

// A view's one problem (a failed load, a refused request), in the server's words.
export function ProblemBar({ problem }) {
  if (!problem) return null;
  return <MessageBar intent="error" role="alert"><MessageBarBody>{problem}</MessageBarBody></MessageBar>;
}

// What a request came to: note is { ok, text }, shown as a success or (announced) as an error.
export function NoteBar({ note }) {
  if (!note) return null;
  return (
    <MessageBar intent={note.ok ? "success" : "error"} role={note.ok ? "status" : "alert"}>
      <MessageBarBody>{note.text}</MessageBarBody>
    </MessageBar>
  );
}

export function Outcome({ answer }) {
  if (!answer) return null;
  const lines = answer.ok ? [] : (answer.body.problems || []).map((p) => p.line);
  return (
    <MessageBar intent={answer.ok ? "success" : "error"} role={answer.ok ? "status" : "alert"}>
      <MessageBarBody>
        {answer.ok ? answer.body.message : answer.body.error}
        {lines.length ? (
          <ul>
            {lines.map((line) => <li key={line}>{line}</li>)}
          </ul>
        ) : null}
      </MessageBarBody>
    </MessageBar>
  );
}
