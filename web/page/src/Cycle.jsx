// Governance: open an update cycle with the bot's scopes, check the preview, start it, remind; and
// the cycle's progress (requests, response rate by group), read again every few seconds so it
// moves while owners answer in Teams. The server checks and words everything; this page shows it.
import { useCallback, useEffect, useState } from "react";
import {
  Button,
  Checkbox,
  Field,
  Input,
  Select,
  Table,
  TableBody,
  TableCell,
  TableRow,
  Text,
  Textarea,
  Title2,
  Title3,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { HeadRow } from "./HeadRow.jsx";
import * as layout from "./styles.js";
import { NoteBar } from "./Problems.jsx";

export const POLL_MS = 2000;

const useStyles = makeStyles({
  page: layout.page,
  form: layout.form,
  wide: layout.wide,
  row: { display: "flex", gap: tokens.spacingHorizontalM, alignItems: "center", flexWrap: "wrap" },
  facts: { display: "grid", gridTemplateColumns: "max-content 1fr", columnGap: tokens.spacingHorizontalL, margin: 0 },
  value: layout.value,
  pair: layout.pair,
});

export function Facts({ pairs, label }) {
  const styles = useStyles();
  return (
    <dl className={styles.facts} aria-label={label}>
      {pairs.map(([name, value]) => (
        <div key={name} className={styles.pair}>
          <dt><Text weight="semibold">{name}</Text></dt>
          <dd className={styles.value}><Text>{String(value)}</Text></dd>
        </div>
      ))}
    </dl>
  );
}

const rate = (r) => (r.pct === null || r.pct === undefined ? "nothing asked" : `${r.responded} of ${r.asked} (${r.pct}%)`);

// The live progress: shared with the chief officers' figures page (read-only there).
export function Progress({ status, onRemind }) {
  const req = status.requests;
  return (
    <section aria-label={`Update cycle ${status.cycle} progress`}>
      <Title3 as="h2">Update cycle {status.cycle}{status.status !== "open" ? " (closed)" : ""}</Title3>
      <Text block>{status.scope_words}, deadline {status.deadline}</Text>
      <Text block weight="semibold" role="status" aria-live="polite" data-testid="response-rate">
        Responded: {rate(status.response_rate)}
      </Text>
      <Facts
        label="Requests"
        pairs={[
          ["Requests sent", `${req.sent} of ${req.total}`],
          ["Pending", req.pending],
          ["Failed", req.failed],
          ["Not installed", req.not_installed],
          ["Owners fully updated", `${status.owners.responded_fully} of ${status.owners.asked}`],
        ]}
      />
      <Table aria-label="Response rate by business group" size="small">
        <HeadRow names={["Group", "Asked", "Responded", "Rate", "Not yet responded"]} />
        <TableBody>
          {status.by_group.map((g) => (
            <TableRow key={g.group}>
              <TableCell>{g.group}</TableCell>
              <TableCell>{g.asked}</TableCell>
              <TableCell>{g.responded}</TableCell>
              <TableCell>{g.pct === null ? "—" : `${g.pct}%`}</TableCell>
              <TableCell>{g.non_responders.map((p) => p.name).join(", ") || "everyone has responded"}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {onRemind && status.status === "open" ? <Button onClick={onRemind}>Remind non-responders</Button> : null}
    </section>
  );
}

export function useProgress(get) {
  const [status, setStatus] = useState(null);
  const read = useCallback(
    () => get("/api/tab/cycle/progress").then((body) => setStatus(body.cycle === null ? null : body)).catch(() => {}),
    [get],
  );
  useEffect(() => {
    read();
    const timer = setInterval(read, POLL_MS); // owners answer in Teams meanwhile: follow without a reload
    return () => clearInterval(timer);
  }, [read]);
  return [status, read];
}

export function Cycle({ get, send }) {
  const styles = useStyles();
  const [form, setForm] = useState(null);
  const [values, setValues] = useState({ scope: "all", group: "", days: "30", include_hmicfrs: false, deadline: "", message: "", reminders: "" });
  const [problems, setProblems] = useState({});
  const [preview, setPreview] = useState(null);
  const [note, setNote] = useState(null);
  const [status, reread] = useProgress(get);

  useEffect(() => {
    get("/api/tab/cycle/form")
      .then((offered) => {
        setForm(offered);
        setValues((v) => ({ ...v, group: offered.groups[0] || "", deadline: offered.deadline, reminders: offered.reminders }));
      })
      .catch((error) => setNote({ ok: false, text: error.message }));
  }, [get]);

  const set = (name) => (_e, data) => {
    setValues((v) => ({ ...v, [name]: data.checked !== undefined ? Boolean(data.checked) : data.value }));
    setPreview(null);
  };
  const hint = (name) => (problems[name] ? { validationMessage: problems[name], validationState: "error" } : {});
  const asked = () => ({ ...values, include_hmicfrs: values.include_hmicfrs ? "1" : "" });

  async function showPreview(event) {
    event.preventDefault();
    setNote(null);
    try {
      setPreview(await get("/api/tab/cycle/preview", asked()));
      setProblems({});
    } catch (error) {
      setPreview(null);
      setNote({ ok: false, text: error.message });
    }
  }

  async function start() {
    const answer = await send("/api/tab/cycle", asked(), "POST");
    setProblems(answer.body.problems || {});
    if (!answer.ok) {
      setNote({ ok: false, text: answer.body.error });
      return;
    }
    const b = answer.body;
    setNote({ ok: true, text: `Update cycle ${b.cycle} opened: requests to ${b.owners} owners are being sent (${b.queued} queued, ${b.not_installed} not installed). Deadline ${b.deadline}.` });
    setPreview(null);
    reread();
  }

  async function remind() {
    const answer = await send("/api/tab/cycle/remind", {}, "POST");
    setNote({ ok: answer.ok, text: answer.ok ? answer.body.message : answer.body.error });
    reread();
  }

  return (
    <div className={styles.page}>
      <Title2 as="h1">Update cycle</Title2>
      <NoteBar note={note} />
      {status ? <Progress status={status} onRemind={status.manage ? remind : null} /> : <Text>No update cycle has been opened yet.</Text>}
      {form && (!status || status.status !== "open") ? (
        <form className={styles.form} aria-label="Request updates" onSubmit={showPreview}>
          <Title3 as="h2" className={styles.wide}>Request updates</Title3>
          <Field label="Scope" {...hint("scope")}>
            <Select value={values.scope} onChange={set("scope")}>
              {form.scopes.map((s) => <option key={s.value} value={s.value}>{s.label}</option>)}
            </Select>
          </Field>
          {values.scope === "group" ? (
            <Field label="Business group" {...hint("group")}>
              <Select value={values.group} onChange={set("group")}>
                {form.groups.map((g) => <option key={g} value={g}>{g}</option>)}
              </Select>
            </Field>
          ) : null}
          {values.scope === "due_within" ? (
            <Field label="Due within (days)" {...hint("days")}>
              <Input type="number" min={1} max={730} value={values.days} onChange={set("days")} />
            </Field>
          ) : null}
          <Field label="Deadline for updates" {...hint("deadline")}>
            <Input type="date" value={values.deadline} onChange={set("deadline")} />
          </Field>
          <Field label="Reminder days before the deadline" hint="like 7,2,0, or none" {...hint("reminders")}>
            <Input value={values.reminders} onChange={set("reminders")} />
          </Field>
          <Checkbox label="Also ask about open HMICFRS items" checked={values.include_hmicfrs} onChange={set("include_hmicfrs")} />
          <Field label="Message on every request (optional)" className={styles.wide} {...hint("message")}>
            <Textarea value={values.message} onChange={set("message")} resize="vertical" />
          </Field>
          <div className={styles.row}>
            <Button type="submit">Preview</Button>
          </div>
        </form>
      ) : null}
      {preview ? (
        <section aria-label="Check before sending">
          <Title3 as="h2">Check before sending</Title3>
          <Text block>
            {preview.owners} owners will each get one card listing their items: {preview.actions} actions
            {preview.inspections ? ` and ${preview.inspections} HMICFRS items` : ""} ({preview.scope_words}).
          </Text>
          <Facts
            label="Preview"
            pairs={[
              ["Deadline", preview.deadline],
              ["Items asked about", preview.actions + preview.inspections],
              ["Owners who can be reached", preview.owners - preview.unreachable.length],
              ["Owners who cannot be reached", preview.unreachable.length],
              ["Reminders", preview.reminder_dates.join(", ") || "none"],
              ...Object.entries(preview.by_group).map(([g, v]) => [g, `${v.items} items, ${v.owners} owners`]),
            ]}
          />
          {preview.unreachable.length ? (
            <Text block size={200}>The bot is not installed for: {preview.unreachable.join(", ")}. A reminder sends them their request once they install it.</Text>
          ) : null}
          <Button appearance="primary" onClick={start}>Start: send to {preview.owners} owners</Button>
        </section>
      ) : null}
    </div>
  );
}
