// An action's (or HMICFRS item's) page: its record and its full history, newest first.
import { useCallback, useEffect, useRef, useState } from "react";
import {
  Button,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableRow,
  Text,
  Title2,
  Title3,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { HeadRow } from "./HeadRow.jsx";
import * as layout from "./styles.js";
import { ProblemBar } from "./Problems.jsx";
import { EditForm } from "./EditForm.jsx";
import { OwnerUpdate } from "./OwnerUpdate.jsx";

const useStyles = makeStyles({
  page: layout.page,
  back: { alignSelf: "flex-start" },
  pair: layout.pair,
  value: layout.value,
  facts: { display: "grid", gridTemplateColumns: "max-content 1fr", columnGap: tokens.spacingHorizontalL, rowGap: tokens.spacingVerticalXS, margin: 0 },
});

const ACTION_FACTS = [
  ["description", "Action"], ["audit", "Audit"], ["group", "Group"], ["owner", "Owner"], ["status", "Status"],
  ["risk", "Risk"], ["due_date", "Due"], ["revised_due_date", "Revised due"], ["days_overdue", "Days overdue"],
  ["delay_reason", "Delay reason"], ["pending_revised_date", "Revised date awaiting a decision"],
  ["last_update_on", "Last update"], ["last_update_note", "Last note"],
];
const ITEM_FACTS = [
  ["inspection", "Inspection"], ["theme", "Theme"], ["group", "Group"], ["owner", "Owner"], ["status", "Status"],
  ["due_date", "Due"], ["progress_note", "Progress"], ["last_update_on", "Last update"],
];

export function Detail({ get, send, editable, choices, row, onBack, onChanged }) {
  const styles = useStyles();
  const [detail, setDetail] = useState(null);
  const [problem, setProblem] = useState(null);
  const heading = useRef(null);
  const [editing, setEditing] = useState(false);
  const load = useCallback(() => {
    const route = row.kind === "action" ? "actions" : "items";
    return get(`/api/tab/${route}/${encodeURIComponent(row.ref)}`)
      .then(setDetail)
      .catch((error) => setProblem(error.message));
  }, [get, row]);
  useEffect(() => {
    load();
  }, [load]);
  useEffect(() => heading.current?.focus(), [row]);

  const facts = row.kind === "action" ? ACTION_FACTS : ITEM_FACTS;
  return (
    <div className={styles.page}>
      <Button className={styles.back} onClick={onBack}>Back to the tracker</Button>
      <Title2 as="h1" tabIndex={-1} ref={heading}>{row.ref}</Title2>
      <ProblemBar problem={problem} />
      {!detail && !problem ? <Spinner label="Loading…" /> : null}
      {detail ? (
        <>
          <dl className={styles.facts}>
            {facts.filter(([key]) => detail[key] !== null && detail[key] !== undefined && detail[key] !== "" && !(key === "days_overdue" && detail[key] === 0)).map(([key, label]) => (
              <div key={key} className={styles.pair}>
                <dt><Text weight="semibold">{label}</Text></dt>
                <dd className={styles.value}><Text>{String(detail[key])}</Text></dd>
              </div>
            ))}
          </dl>
          {editable ? (
            editing ? (
              <EditForm send={send} detail={detail} choices={choices} onSaved={() => { load(); onChanged(); }} />
            ) : (
              <Button className={styles.back} onClick={() => setEditing(true)}>Edit {row.ref}</Button>
            )
          ) : null}
          <OwnerUpdate get={get} send={send} kind={row.kind} actionRef={row.ref} onSaved={() => { load(); onChanged(); }} />
          <Title3 as="h2">History</Title3>
          <Table aria-label={`History of ${row.ref}`} size="small">
            <HeadRow names={["When", "Who", "What", "From", "To"]} />
            <TableBody>
              {detail.history.map((h, i) => (
                <TableRow key={i}>
                  <TableCell>{h.at}</TableCell>
                  <TableCell>{h.actor}</TableCell>
                  <TableCell>{h.field === "_created" ? "created" : h.field.replaceAll("_", " ")}</TableCell>
                  <TableCell>{h.old ?? ""}</TableCell>
                  <TableCell>{h.new ?? ""}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </>
      ) : null}
    </div>
  );
}
