// An owner's update of their action (status, progress note, delay reason, a revised date to propose,
// evidence) or HMICFRS item (status, progress note, evidence): the card's form. The server offers it only to whoever may update the action and runs the
// card's rules; this shows its words beside each field, and nothing when it offers no form.
import { useCallback, useEffect, useState } from "react";
import { Button, Field, Input, Select, Textarea, Title3, makeStyles } from "@fluentui/react-components";
import * as layout from "./styles.js";
import { hintFor, NoteBar } from "./Problems.jsx";

const useStyles = makeStyles({
  form: layout.form,
  wide: layout.wide,
});

const EMPTY = { status: "", progress_note: "", delay_reason: "", revised_date: "", evidence_note: "", evidence_link: "" };

export function OwnerUpdate({ get, send, kind, actionRef, onSaved }) {
  const styles = useStyles();
  const [form, setForm] = useState(null);
  const [open, setOpen] = useState(false);
  const [values, setValues] = useState(EMPTY);
  const [problems, setProblems] = useState({});
  const [message, setMessage] = useState(null);
  const path = `/api/tab/${kind === "action" ? "actions" : "items"}/${encodeURIComponent(actionRef)}/update`;

  const load = useCallback(
    () =>
      get(path)
        .then((offered) => {
          setForm(offered);
          setValues({ ...EMPTY, status: offered.status });
        })
        .catch(() => setForm(null)), // not theirs to update, or closed: no form
    [get, path],
  );
  useEffect(() => {
    load();
  }, [load]);

  if (!form) return message ? <NoteBar note={message} /> : null;
  if (!open) {
    return (
      <div>
        <NoteBar note={message} />
        <Button appearance="primary" onClick={() => setOpen(true)}>Update {actionRef}</Button>
      </div>
    );
  }
  const set = (name) => (_e, data) => setValues((v) => ({ ...v, [name]: data.value }));
  const hint = (name) => hintFor(problems[name]);

  async function save(event) {
    event.preventDefault();
    // An HMICFRS item has no delay reason or revised date: only the inputs of its kind are sent.
    const { delay_reason, revised_date, ...common } = values;
    const fields = form.kind === "action" ? { ...common, delay_reason, revised_date } : common;
    const answer = await send(path, { version: form.version, ...fields }, "POST");
    setProblems(answer.body.problems || {});
    const text = answer.ok ? [answer.body.message, answer.body.next].filter(Boolean).join(" ") : answer.body.error;
    setMessage({ ok: answer.ok, text });
    if (answer.ok || answer.status === 409) {
      setOpen(!answer.ok);
      load();
      if (answer.ok) onSaved();
    }
  }

  return (
    <form className={styles.form} aria-label={`Update ${actionRef}`} onSubmit={save}>
      <Title3 as="h2" className={styles.wide}>Update {actionRef}</Title3>
      <Field label="Status" {...hint("status")}>
        <Select value={values.status} onChange={set("status")}>
          {form.statuses.map((s) => <option key={s.value} value={s.value}>{s.title}</option>)}
        </Select>
      </Field>
      {form.kind === "action" ? (
        <>
          <Field label="Delay reason" {...hint("delay_reason")}>
            <Select value={values.delay_reason} onChange={set("delay_reason")}>
              <option value="">{form.delay_reason ? `Keep: ${form.delay_reason}` : "Choose a reason"}</option>
              {form.delay_reasons.map((r) => <option key={r.value} value={r.value}>{r.title}</option>)}
            </Select>
          </Field>
          <Field label="Propose a revised due date (optional)" {...hint("revised_date")}>
            <Input type="date" value={values.revised_date} onChange={set("revised_date")} />
          </Field>
        </>
      ) : null}
      <Field label="Progress note" className={styles.wide} {...hint("progress_note")}>
        <Textarea value={values.progress_note} onChange={set("progress_note")} resize="vertical" />
      </Field>
      <Field label={`Evidence note (when ${form.kind === "action" ? "marking implemented" : "submitting for closure"})`} className={styles.wide} {...hint("evidence_note")}>
        <Textarea value={values.evidence_note} onChange={set("evidence_note")} resize="vertical" />
      </Field>
      <Field label="Evidence links (https, one per line)" className={styles.wide} {...hint("evidence_link")}>
        <Textarea value={values.evidence_link} onChange={set("evidence_link")} resize="vertical" />
      </Field>
      <div className={styles.wide}>
        <Button appearance="primary" type="submit">Save update</Button>
      </div>
      <div className={styles.wide}><NoteBar note={message} /></div>
    </form>
  );
}

