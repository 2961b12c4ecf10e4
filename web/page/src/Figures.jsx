// Chief officers and SPOCs (and governance): their groups' figures, read-only, as the bot answers
// them (summary, overdue, delay reasons), each chart drawn as bars beside its numbers; the update
// cycle's response rate in their groups, and a nudge to its non-responders.
import { useCallback, useEffect, useState } from "react";
import {
  Button,
  Field,
  Select,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  Title2,
  Title3,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import * as layout from "./styles.js";
import { ProblemBar, NoteBar } from "./Problems.jsx";
import { Facts, Progress } from "./Cycle.jsx";

const useStyles = makeStyles({
  page: layout.page,
  track: { display: "flex", width: "16rem", height: "0.9rem", backgroundColor: tokens.colorNeutralBackground3 },
  first: { backgroundColor: tokens.colorPaletteRedBackground3 },
  second: { backgroundColor: tokens.colorBrandBackground },
  button: { alignSelf: "flex-start" },
});

// One bar per category: the bar is decoration (aria-hidden), the numbers are the table's cells.
function ChartTable({ chart }) {
  const styles = useStyles();
  const totals = chart.categories.map((_c, i) => chart.series.reduce((sum, s) => sum + s.values[i], 0));
  const most = Math.max(1, ...totals);
  return (
    <Table aria-label={chart.title} size="small">
      <TableHeader>
        <TableRow>
          <TableHeaderCell>{chart.x_title || "Category"}</TableHeaderCell>
          {chart.series.map((s) => <TableHeaderCell key={s.legend}>{s.legend}</TableHeaderCell>)}
          <TableHeaderCell>Chart</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {chart.categories.map((category, i) => (
          <TableRow key={category}>
            <TableCell>{category}</TableCell>
            {chart.series.map((s) => <TableCell key={s.legend}>{s.values[i]}</TableCell>)}
            <TableCell>
              <div className={styles.track} aria-hidden="true">
                {chart.series.map((s, n) => (
                  <div
                    key={s.legend}
                    className={n === 0 && chart.series.length > 1 ? styles.first : styles.second}
                    ref={(el) => { if (el) el.style.width = `${(100 * s.values[i]) / most}%`; }}
                  />
                ))}
              </div>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

export function Figures({ get, send, me }) {
  const styles = useStyles();
  const [group, setGroup] = useState("");
  const [body, setBody] = useState(null);
  const [problem, setProblem] = useState(null);
  const [note, setNote] = useState(null);
  const load = useCallback(
    () => get("/api/tab/figures", { group }).then((b) => { setBody(b); setProblem(null); }).catch((e) => setProblem(e.message)),
    [get, group],
  );
  useEffect(() => { load(); }, [load]);
  const groups = [...new Set((me?.leads || []).map((l) => l.group))];

  async function nudge() {
    const answer = await send("/api/tab/nudge", { group }, "POST");
    setNote({ ok: answer.ok, text: answer.ok ? answer.body.message : answer.body.error });
    load();
  }

  return (
    <div className={styles.page}>
      <Title2 as="h1">Figures</Title2>
      {groups.length > 1 ? (
        <Field label="Group">
          <Select value={group} onChange={(_e, d) => setGroup(d.value)}>
            <option value="">All my groups</option>
            {groups.map((g) => <option key={g} value={g}>{g}</option>)}
          </Select>
        </Field>
      ) : null}
      <ProblemBar problem={problem} />
      {!body && !problem ? <Spinner label="Loading…" /> : null}
      {body ? (
        <>
          <Text>As at {body.as_of}, {body.scope}. Read-only.</Text>
          {body.answers.map((a) => (
            <section key={a.question} aria-label={a.title}>
              <Title3 as="h2">{a.title}</Title3>
              <Text block weight="semibold">{a.headline}</Text>
              {[...a.lines, ...a.notes].map((line) => <Text block key={line}>{line}</Text>)}
              {a.question === "summary" ? <Facts label="Summary" pairs={body.facts.map((f) => [f.label, f.value])} /> : null}
              {a.charts.map((chart) => (
                <figure key={chart.title}>
                  <figcaption><Text weight="semibold">{chart.title}</Text></figcaption>
                  <ChartTable chart={chart} />
                </figure>
              ))}
            </section>
          ))}
          <NoteBar note={note} />
          {body.cycle ? (
            <>
              <Progress status={body.cycle} onRemind={null} />
              {body.cycle.status === "open" ? <Button className={styles.button} onClick={nudge}>Nudge non-responders</Button> : null}
            </>
          ) : <Text>No update cycle has been opened yet.</Text>}
        </>
      ) : null}
    </div>
  );
}
