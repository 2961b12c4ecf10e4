// Governance adds an inspection's new HMICFRS items (recommendations, AFIs, "AFI & Rec"), all or
// nothing. The inspection's own fields are typed once and sent on every item; the server checks each
// with the workbook import's rules and answers each problem by row and field.
import { useState } from "react";
import { Button, Field, Input, Select, Title2, Title3, makeStyles, tokens } from "@fluentui/react-components";
import * as layout from "./styles.js";
import { Outcome, hintFor, problemsBy } from "./Problems.jsx";

const useStyles = makeStyles({
  page: layout.page,
  grid: { display: "grid", gridTemplateColumns: "repeat(auto-fill, minmax(14rem, 1fr))", gap: tokens.spacingHorizontalM },
  row: { border: `1px solid ${tokens.colorNeutralStroke1}`, borderRadius: tokens.borderRadiusMedium, padding: tokens.spacingHorizontalM },
  buttons: { display: "flex", gap: tokens.spacingHorizontalM, flexWrap: "wrap" },
});

const SHARED = { inspection: "", inspection_year: "", scope: "force" };
const ITEM = { ref: "", kind: "rec", theme: "", business_group: "", owner_email: "", due_date: "", status: "open", submitted_on: "", closed_on: "" };
const KINDS = [["rec", "recommendation"], ["afi", "area for improvement"], ["afi & rec", "AFI & Rec"]];
const STATUSES = ["open", "holding", "submitted for closure", "closed"];

export function NewItems({ send, choices, onAdded, onClose }) {
  const styles = useStyles();
  const [shared, setShared] = useState(SHARED);
  const [items, setItems] = useState([{ ...ITEM }]);
  const [answer, setAnswer] = useState(null);
  const problem = problemsBy(answer && !answer.ok ? answer.body.problems : []);
  const setField = (name) => (_e, data) => setShared((s) => ({ ...s, [name]: data.value }));
  const setRow = (i, name) => (_e, data) => setItems((rows) => rows.map((r, j) => (j === i ? { ...r, [name]: data.value } : r)));

  async function save(event) {
    event.preventDefault();
    const reply = await send("/api/tab/items", { items: items.map((item) => ({ ...shared, ...item })) }, "POST");
    setAnswer(reply);
    if (reply.ok) {
      setItems([{ ...ITEM }]);
      onAdded();
    }
  }

  // A problem with a shared field is reported on each item; shown once, beside the shared field.
  const sharedHint = (name) => hintFor(items.map((_r, i) => problem("items", i + 1, name)).find(Boolean));
  return (
    <form className={styles.page} aria-label="New inspection items" onSubmit={save}>
      <Title2 as="h1">New inspection items</Title2>
      <div className={styles.grid}>
        <Field label="Inspection" required {...sharedHint("inspection")}><Input value={shared.inspection} onChange={setField("inspection")} /></Field>
        <Field label="Inspection year (e.g. 2026/27)" required {...sharedHint("inspection_year")}>
          <Input value={shared.inspection_year} onChange={setField("inspection_year")} />
        </Field>
        <Field label="Scope" {...sharedHint("scope")}>
          <Select value={shared.scope} onChange={setField("scope")}>
            <option value="force">force</option>
            <option value="nationwide">nationwide</option>
          </Select>
        </Field>
      </div>
      <Title3 as="h2">Items</Title3>
      {items.map((row, i) => {
        const n = i + 1;
        const on = (name) => hintFor(problem("items", n, name));
        return (
          <fieldset key={i} className={styles.row} aria-label={`Item ${n}`}>
            <legend>Item {n}</legend>
            <div className={styles.grid}>
              <Field label={`Item ${n} reference`} required {...on("ref")}><Input value={row.ref} onChange={setRow(i, "ref")} /></Field>
              <Field label={`Item ${n} kind`} {...on("kind")}>
                <Select value={row.kind} onChange={setRow(i, "kind")}>
                  {KINDS.map(([value, title]) => <option key={value} value={value}>{title}</option>)}
                </Select>
              </Field>
              <Field label={`Item ${n} theme`} {...on("theme")}><Input value={row.theme} onChange={setRow(i, "theme")} /></Field>
              <Field label={`Item ${n} business group`} {...on("business_group")}>
                <Select value={row.business_group} onChange={setRow(i, "business_group")}>
                  <option value="">none yet</option>
                  {choices.groups.map((g) => <option key={g} value={g}>{g}</option>)}
                </Select>
              </Field>
              <Field label={`Item ${n} owner's e-mail`} {...on("owner_email")}>
                <Input type="email" value={row.owner_email} onChange={setRow(i, "owner_email")} />
              </Field>
              <Field label={`Item ${n} due date`} {...on("due_date")}>
                <Input type="date" value={row.due_date} onChange={setRow(i, "due_date")} />
              </Field>
              <Field label={`Item ${n} status`} {...on("status")}>
                <Select value={row.status} onChange={setRow(i, "status")}>
                  {STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
                </Select>
              </Field>
              <Field label={`Item ${n} submitted for closure on`} {...on("submitted_on")}>
                <Input type="date" value={row.submitted_on} onChange={setRow(i, "submitted_on")} />
              </Field>
              <Field label={`Item ${n} closed on`} {...on("closed_on")}>
                <Input type="date" value={row.closed_on} onChange={setRow(i, "closed_on")} />
              </Field>
            </div>
            {items.length > 1 ? (
              <Button onClick={() => setItems((rows) => rows.filter((_r, j) => j !== i))}>Remove item {n}</Button>
            ) : null}
          </fieldset>
        );
      })}
      <div className={styles.buttons}>
        <Button onClick={() => setItems((rows) => [...rows, { ...ITEM }])}>Add another item</Button>
        <Button appearance="primary" type="submit">Add inspection items</Button>
        <Button onClick={onClose}>Back to the tracker</Button>
      </div>
      <Outcome answer={answer} />
    </form>
  );
}
