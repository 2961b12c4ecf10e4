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
