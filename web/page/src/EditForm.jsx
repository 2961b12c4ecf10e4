// Governance only: change the fields it owns on an action (title, risk, audit, due dates, owner).
// The server decides (403 for anyone else, 409 when someone changed the action meanwhile) and words
// every outcome; this form only shows what it says, beside the field it concerns.
import { useState } from "react";
import { Button, Field, Input, MessageBar, MessageBarBody, Select, Textarea, makeStyles, tokens } from "@fluentui/react-components";
import * as layout from "./styles.js";

const useStyles = makeStyles({
  form: layout.form,
  wide: layout.wide,
  actions: { display: "flex", gap: tokens.spacingHorizontalM, gridColumn: "1 / -1" },
});

export function EditForm({ send, detail, choices, onSaved }) {
  const styles = useStyles();
  const [values, setValues] = useState({
    title: detail.description,
    risk: detail.risk,
    audit: choices.audits.find((a) => a.title === detail.audit)?.id || "",
    due_date: detail.due_date || "",
    revised_due_date: detail.revised_due_date || "",
    owner_email: detail.owner_email || "",
  });
  const [problems, setProblems] = useState({});
  const [message, setMessage] = useState(null);
  const set = (name) => (_e, data) => setValues((v) => ({ ...v, [name]: data.value }));

  async function save(event) {
    event.preventDefault();
    const body = { version: detail.version, title: values.title, risk: values.risk, due_date: values.due_date };
    if (values.audit) body.audit = values.audit;
    body.revised_due_date = values.revised_due_date || null;
    if (values.owner_email && values.owner_email !== detail.owner_email) body.owner_email = values.owner_email;
    const answer = await send(`/api/tab/actions/${encodeURIComponent(detail.ref)}`, body);
    setProblems(answer.body.problems || {});
    setMessage({ ok: answer.ok, text: answer.ok ? answer.body.message : answer.body.error });
    if (answer.ok) onSaved();
  }

  const hint = (name) => (problems[name] ? { validationMessage: problems[name], validationState: "error" } : {});
  return (
    <form className={styles.form} aria-label={`Edit ${detail.ref}`} onSubmit={save}>
      <Field label="Title" className={styles.wide} {...hint("title")}>
        <Textarea value={values.title} onChange={set("title")} resize="vertical" />
      </Field>
      <Field label="Risk" {...hint("risk")}>
        <Select value={values.risk} onChange={set("risk")}>
          {["high", "medium", "low"].map((r) => <option key={r} value={r}>{r}</option>)}
        </Select>
      </Field>
      <Field label="Audit" {...hint("audit")}>
        <Select value={values.audit} onChange={set("audit")}>
          {choices.audits.map((a) => <option key={a.id} value={a.id}>{a.id}: {a.title}</option>)}
        </Select>
      </Field>
      <Field label="Due date" {...hint("due_date")}>
        <Input type="date" value={values.due_date} onChange={set("due_date")} required />
      </Field>
      <Field label="Revised due date (accepted)" {...hint("revised_due_date")}>
        <Input type="date" value={values.revised_due_date} onChange={set("revised_due_date")} />
      </Field>
      <Field label="Owner's e-mail" {...hint("owner_email")}>
        <Input type="email" value={values.owner_email} onChange={set("owner_email")} />
      </Field>
      <div className={styles.actions}>
        <Button appearance="primary" type="submit">Save changes</Button>
      </div>
      {message ? (
        <MessageBar className={styles.wide} intent={message.ok ? "success" : "error"} role={message.ok ? "status" : "alert"}>
          <MessageBarBody>{message.text}</MessageBarBody>
        </MessageBar>
      ) : null}
    </form>
  );
}
