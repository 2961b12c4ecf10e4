// Governance adds the quarter's new DARA report: the audit and its actions, all or nothing. The server
// checks every row with the workbook import's rules and answers each problem by row and field.
import { useState } from "react";
import { Button, Checkbox, Field, Input, Select, Textarea, Title2, Title3, makeStyles, tokens } from "@fluentui/react-components";
import * as layout from "./styles.js";
import { Outcome, hintFor, problemsBy } from "./Problems.jsx";

const useStyles = makeStyles({
  page: layout.page,
  grid: { display: "grid", gridTemplateColumns: "repeat(auto-fill, minmax(14rem, 1fr))", gap: tokens.spacingHorizontalM },
  wide: layout.wide,
  row: { border: `1px solid ${tokens.colorNeutralStroke1}`, borderRadius: tokens.borderRadiusMedium, padding: tokens.spacingHorizontalM },
  buttons: { display: "flex", gap: tokens.spacingHorizontalM, flexWrap: "wrap" },
});

const AUDIT = { audit_id: "", title: "", received: "", kind: "original", follows: "", assurance: "limited", restricted: false };
const ACTION = { ref: "", description: "", risk: "high", business_group: "", owner_email: "", due_date: "", key_theme: "" };
const ASSURANCES = ["substantial", "adequate", "limited", "no assurance", "not graded"];

export function NewAudit({ send, choices, onAdded, onClose }) {
  const styles = useStyles();
  const [audit, setAudit] = useState(AUDIT);
  const [actions, setActions] = useState([{ ...ACTION }]);
  const [answer, setAnswer] = useState(null);
  const problem = problemsBy(answer && !answer.ok ? answer.body.problems : []);
  const setField = (name) => (_e, data) => setAudit((a) => ({ ...a, [name]: data.checked !== undefined ? data.checked : data.value }));
  const setRow = (i, name) => (_e, data) => setActions((rows) => rows.map((r, j) => (j === i ? { ...r, [name]: data.value } : r)));

  async function save(event) {
    event.preventDefault();
    const body = { audit: { ...audit, restricted: audit.restricted ? "yes" : "no" }, actions };
    const reply = await send("/api/tab/audits", body, "POST");
    setAnswer(reply);
    if (reply.ok) {
      setAudit(AUDIT);
      setActions([{ ...ACTION }]);
      onAdded();
    }
  }

  const at = (name) => hintFor(problem("audit", 1, name));
  return (
    <form className={styles.page} aria-label="New audit" onSubmit={save}>
      <Title2 as="h1">New audit</Title2>
      <div className={styles.grid}>
        <Field label="Audit ID" required {...at("audit_id")}><Input value={audit.audit_id} onChange={setField("audit_id")} /></Field>
        <Field label="Title" required className={styles.wide} {...at("title")}><Input value={audit.title} onChange={setField("title")} /></Field>
        <Field label="Received (quarter, e.g. 2026/27 Q3)" required {...at("received")}>
          <Input value={audit.received} onChange={setField("received")} />
        </Field>
        <Field label="Kind" {...at("kind")}>
          <Select value={audit.kind} onChange={setField("kind")}>
            <option value="original">original</option>
            <option value="follow-up">follow-up</option>
          </Select>
        </Field>
        <Field label="Follows (a follow-up's original audit)" className={styles.wide} {...at("follows")}>
          <Select value={audit.follows} onChange={setField("follows")}>
            <option value="">none</option>
            {choices.audits.map((a) => <option key={a.id} value={a.id}>{a.id}: {a.title}</option>)}
          </Select>
        </Field>
        <Field label="Assurance" {...at("assurance")}>
          <Select value={audit.assurance} onChange={setField("assurance")}>
            {ASSURANCES.map((a) => <option key={a} value={a}>{a}</option>)}
          </Select>
        </Field>
        <Checkbox label="Restricted report" checked={audit.restricted} onChange={setField("restricted")} />
      </div>
      <Title3 as="h2">Actions</Title3>
      {actions.map((row, i) => {
        const n = i + 1;
        const on = (name) => hintFor(problem("actions", n, name));
        return (
          <fieldset key={i} className={styles.row} aria-label={`Action ${n}`}>
            <legend>Action {n}</legend>
            <div className={styles.grid}>
              <Field label={`Action ${n} reference (blank: numbered)`} {...on("ref")}>
                <Input value={row.ref} onChange={setRow(i, "ref")} />
              </Field>
              <Field label={`Action ${n} description`} required className={styles.wide} {...on("description")}>
                <Textarea value={row.description} onChange={setRow(i, "description")} resize="vertical" />
              </Field>
              <Field label={`Action ${n} risk`} {...on("risk")}>
                <Select value={row.risk} onChange={setRow(i, "risk")}>
                  {["high", "medium", "low"].map((r) => <option key={r} value={r}>{r}</option>)}
                </Select>
              </Field>
              <Field label={`Action ${n} business group`} required {...on("business_group")}>
                <Select value={row.business_group} onChange={setRow(i, "business_group")}>
                  <option value="">Choose a group</option>
                  {choices.groups.map((g) => <option key={g} value={g}>{g}</option>)}
                </Select>
              </Field>
              <Field label={`Action ${n} owner's e-mail`} required {...on("owner_email")}>
                <Input type="email" value={row.owner_email} onChange={setRow(i, "owner_email")} />
              </Field>
              <Field label={`Action ${n} due date`} required {...on("due_date")}>
                <Input type="date" value={row.due_date} onChange={setRow(i, "due_date")} />
              </Field>
              <Field label={`Action ${n} key theme`} {...on("key_theme")}>
                <Input value={row.key_theme} onChange={setRow(i, "key_theme")} />
              </Field>
            </div>
            {actions.length > 1 ? (
              <Button onClick={() => setActions((rows) => rows.filter((_r, j) => j !== i))}>Remove action {n}</Button>
            ) : null}
          </fieldset>
        );
      })}
      <div className={styles.buttons}>
        <Button onClick={() => setActions((rows) => [...rows, { ...ACTION }])}>Add another action</Button>
        <Button appearance="primary" type="submit">Add audit and actions</Button>
        <Button onClick={onClose}>Back to the tracker</Button>
      </div>
      <Outcome answer={answer} />
    </form>
  );
}
