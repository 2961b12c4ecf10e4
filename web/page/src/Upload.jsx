// Governance uploads a tracker workbook: the server checks it and shows what would be added, changed
// and closed (nothing is stored yet); "Apply these changes" sends the same file again with the
// preview's token, and the server stores exactly what was shown, or nothing. Every word of a problem
// or an outcome is the server's (the command line's), shown as it is.
import { useRef, useState } from "react";
import {
  Button,
  Label,
  MessageBar,
  MessageBarBody,
  Table,
  TableBody,
  TableCell,
  TableRow,
  Text,
  makeStyles,
  tokens,
  useId,
} from "@fluentui/react-components";
import { HeadRow } from "./HeadRow.jsx";
import * as layout from "./styles.js";
import { uploadFile } from "./api.js";

const useStyles = makeStyles({
  panel: layout.panel,
  row: layout.row,
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
  field: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS },
});

const SHOWN_ROWS = 200;

function counts(preview) {
  const sheets = [...new Set([...Object.keys(preview.added), ...Object.keys(preview.changed)])].sort();
  return sheets.map((sheet) => ({ sheet, added: preview.added[sheet] || 0, changed: preview.changed[sheet] || 0 }));
}

function changeText(row) {
  if (row.kind === "added") return "new";
  return row.changes.map((c) => `${c.field}: ${c.old ?? "(empty)"} → ${c.new ?? "(empty)"}`).join("; ");
}

export function Upload({ identify, onImported }) {
  const styles = useStyles();
  const input = useRef(null);
  const id = useId("upload");
  const [file, setFile] = useState(null);
  const [preview, setPreview] = useState(null);
  const [outcome, setOutcome] = useState(null); // { intent, text, problems }
  const [busy, setBusy] = useState("");

  async function check() {
    if (!file) {
      setOutcome({ intent: "error", text: "Choose the .xlsx workbook to upload first." });
      return;
    }
    setBusy("Checking the workbook…");
    setOutcome(null);
    setPreview(null);
    const answer = await uploadFile(identify, "/api/tab/import/preview", file);
    setBusy("");
    if (answer.ok) setPreview(answer.body);
    else setOutcome({ intent: "error", text: answer.body.error, problems: answer.body.problems });
  }

  async function apply() {
    setBusy("Importing…");
    const answer = await uploadFile(identify, "/api/tab/import/apply", file, { preview: preview.token });
    setBusy("");
    if (answer.ok) {
      setPreview(null);
      setFile(null);
      if (input.current) input.current.value = "";
      setOutcome({ intent: "success", text: answer.body.message });
      onImported();
      return;
    }
    if (answer.body.preview) setPreview(answer.body.preview); // the tracker changed: here is what it would do now
    else setPreview(null);
    setOutcome({ intent: "error", text: answer.body.error, problems: answer.body.problems });
  }

  return (
    <div className={styles.panel}>
      <div className={styles.row}>
        <div className={styles.field}>
          <Label htmlFor={`${id}-file`}>Workbook (.xlsx)</Label>
          <input
            id={`${id}-file`}
            aria-describedby={`${id}-hint`}
            ref={input}
            type="file"
            accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            onChange={(e) => {
              setFile(e.target.files[0] || null);
              setPreview(null);
              setOutcome(null);
            }}
          />
          <Text id={`${id}-hint`} size={200}>The sheets the command line imports: People, Audits, Actions, Inspections, Lists.</Text>
        </div>
        <Button appearance="primary" disabled={Boolean(busy)} onClick={check}>Preview the changes</Button>
      </div>
      <Text role="status" aria-live="polite">{busy}</Text>
      {outcome ? (
        <MessageBar intent={outcome.intent} role={outcome.intent === "error" ? "alert" : "status"}>
          <MessageBarBody>
            {outcome.text}
            {outcome.problems ? (
              <ul className={styles.list} aria-label="Problems to fix">
                {outcome.problems.map((p) => <li key={p}>{p}</li>)}
              </ul>
            ) : null}
          </MessageBarBody>
        </MessageBar>
      ) : null}
      {preview ? (
        <section aria-label="Preview of the upload" className={styles.panel}>
          <Text weight="semibold">
            {preview.name}, nothing stored yet: {preview.lines.join("; ")}
          </Text>
          <Table aria-label="Counts of the upload" size="small">
            <HeadRow names={["Sheet", "Added", "Changed"]} />
            <TableBody>
              {counts(preview).map((c) => (
                <TableRow key={c.sheet}>
                  <TableCell>{c.sheet}</TableCell>
                  <TableCell>{c.added}</TableCell>
                  <TableCell>{c.changed}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <Text>
            Closed by this upload: {Object.entries(preview.closed).map(([entity, n]) => `${n} ${entity}${n === 1 ? "" : "s"}`).join(", ") || "none"}
          </Text>
          {preview.rows.length ? (
            <Table aria-label="Rows the upload changes" size="small">
              <HeadRow names={["What", "Kind", "Reference", "Changes"]} />
              <TableBody>
                {preview.rows.slice(0, SHOWN_ROWS).map((row) => (
                  <TableRow key={`${row.entity}:${row.ref}`}>
                    <TableCell>{row.kind}</TableCell>
                    <TableCell>{row.entity}</TableCell>
                    <TableCell>{row.ref}</TableCell>
                    <TableCell>{changeText(row)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          ) : null}
          {preview.rows_total > SHOWN_ROWS ? <Text>…and {preview.rows_total - SHOWN_ROWS} more rows (the counts above are complete).</Text> : null}
          <div className={styles.row}>
            <Button appearance="primary" disabled={Boolean(busy) || preview.nothing} onClick={apply}>Apply these changes</Button>
            <Button disabled={Boolean(busy)} onClick={() => setPreview(null)}>Cancel</Button>
          </div>
        </section>
      ) : null}
    </div>
  );
}
