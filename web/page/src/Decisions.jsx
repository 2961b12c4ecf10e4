// Governance: proposed revised dates and closures waiting for a decision. Tick one or many (Space on
// a checkbox), give a reason (needed to reject) and accept or reject them in one request. The server
// decides each one with the bot's service and says each outcome in the bot's words; this page shows them.
import { useCallback, useEffect, useState } from "react";
import {
  Button,
  Checkbox,
  Field,
  MessageBar,
  MessageBarBody,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  Textarea,
  Title2,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import * as layout from "./styles.js";
import { ProblemBar } from "./Problems.jsx";

const useStyles = makeStyles({
  page: layout.page,
  actions: layout.row,
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
});

const key = (item) => `${item.kind}:${item.id}`;

function entries(pending) {
  const revised = (pending?.revised || []).map((r) => ({
    kind: "revised", id: r.proposal_id, ref: r.ref, title: r.title, owner: `${r.owner} (${r.group})`,
    what: `Revised due date ${r.proposed} (due ${r.revised || r.due})`, detail: r.delay_reason || "",
  }));
  const closures = (pending?.closures || []).map((c) => ({
    kind: "closure", id: c.action_id, ref: c.ref, title: c.title, owner: `${c.owner} (${c.group})`,
    what: `Closure (implemented ${c.implemented_on || "?"})`, detail: c.evidence || "no evidence given",
  }));
  return [...revised, ...closures];
}

export function Decisions({ get, send }) {
  const styles = useStyles();
  const [pending, setPending] = useState(null);
  const [picked, setPicked] = useState(new Set());
  const [reason, setReason] = useState("");
  const [outcome, setOutcome] = useState(null);
  const [problem, setProblem] = useState(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(
    () => get("/api/tab/decisions").then(setPending).catch((error) => setProblem(error.message)),
    [get],
  );
  useEffect(() => { load(); }, [load]);

  const items = entries(pending);
  const toggle = (item) => setPicked((now) => {
    const next = new Set(now);
    next.has(key(item)) ? next.delete(key(item)) : next.add(key(item));
    return next;
  });
  const all = items.length > 0 && items.every((i) => picked.has(key(i)));

  async function decide(accept) {
    setBusy(true);
    const chosen = items.filter((i) => picked.has(key(i))).map((i) => ({ kind: i.kind, id: i.id }));
    const answer = await send("/api/tab/decisions", { accept, reason, items: chosen }, "POST");
    setBusy(false);
    if (!answer.ok) {
      setOutcome({ ok: false, lines: [answer.body.error] });
      return;
    }
    const { results } = answer.body;
    setOutcome({ ok: results.every((r) => r.ok), lines: results.map((r) => r.message) });
    setPicked(new Set(results.filter((r) => !r.ok).map((r) => `${r.kind}:${r.id}`)));
    if (results.some((r) => r.ok)) setReason("");
    load();
  }

  return (
    <div className={styles.page}>
      <Title2 as="h1">Decisions waiting</Title2>
      <ProblemBar problem={problem} />
      {!pending && !problem ? <Spinner label="Loading…" /> : null}
      {pending ? (
        <Text role="status">
          {pending.revised.length} proposed revised dates and {pending.closures.length} closure proposals.
        </Text>
      ) : null}
      {outcome ? (
        <MessageBar intent={outcome.ok ? "success" : "warning"} role="status">
          <MessageBarBody>
            <ul className={styles.list} aria-label="Decision outcomes">
              {outcome.lines.map((line) => <li key={line}>{line}</li>)}
            </ul>
          </MessageBarBody>
        </MessageBar>
      ) : null}
      {pending && items.length ? (
        <>
          <Table aria-label="Decisions waiting" size="small">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>
                  <Checkbox
                    aria-label="Select all"
                    checked={all ? true : picked.size ? "mixed" : false}
                    onChange={() => setPicked(all ? new Set() : new Set(items.map(key)))}
                  />
                </TableHeaderCell>
                <TableHeaderCell>Reference</TableHeaderCell>
                <TableHeaderCell>Action</TableHeaderCell>
                <TableHeaderCell>Owner</TableHeaderCell>
                <TableHeaderCell>Proposed</TableHeaderCell>
                <TableHeaderCell>Reason or evidence</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {items.map((item) => (
                <TableRow key={key(item)}>
                  <TableCell>
                    <Checkbox
                      aria-label={`Select ${item.ref}: ${item.what}`}
                      checked={picked.has(key(item))}
                      onChange={() => toggle(item)}
                    />
                  </TableCell>
                  <TableCell>{item.ref}</TableCell>
                  <TableCell>{item.title}</TableCell>
                  <TableCell>{item.owner}</TableCell>
                  <TableCell>{item.what}</TableCell>
                  <TableCell>{item.detail}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <form className={styles.actions} aria-label="Decide the selected items" onSubmit={(e) => e.preventDefault()}>
            <Field label="Reason for all selected (needed to reject)">
              <Textarea value={reason} onChange={(_e, d) => setReason(d.value)} resize="vertical" />
            </Field>
            <Button appearance="primary" disabled={!picked.size || busy} onClick={() => decide(true)}>
              Accept selected ({picked.size})
            </Button>
            <Button disabled={!picked.size || busy} onClick={() => decide(false)}>Reject selected ({picked.size})</Button>
          </form>
        </>
      ) : null}
      {pending && !items.length ? <Text>Nothing is waiting for a decision.</Text> : null}
    </div>
  );
}
