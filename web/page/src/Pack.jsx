// Governance builds the panel pack as at a date: the headline figures (the server's, the same the
// pack and the bot give for that day) and the pack's Excel workbook and HTML summary to download.
import { useState } from "react";
import { Button, Field, Input, Text, makeStyles, tokens } from "@fluentui/react-components";
import * as layout from "./styles.js";
import { ProblemBar } from "./Problems.jsx";
import { downloadFile } from "./api.js";

const useStyles = makeStyles({
  panel: layout.panel,
  row: layout.row,
  figures: { display: "grid", gridTemplateColumns: "max-content max-content", columnGap: tokens.spacingHorizontalL, margin: 0 },
  term: { fontWeight: tokens.fontWeightSemibold },
  value: layout.value,
  pair: layout.pair,
});

function headline(f) {
  const rate = f.response_rate;
  return [
    ["Outstanding actions", f.outstanding.total],
    ["Past their original due date", f.overdue.total],
    ["Delivered this quarter", f.delivered.total],
    ["Due in the next 12 months", f.forthcoming.next_12_months],
    ["Open HMICFRS items", f.inspections.open],
    ["Update cycle response rate", rate && rate.pct !== undefined ? `${rate.pct}%` : "no cycle"],
  ];
}

export function Pack({ get }) {
  const styles = useStyles();
  const [asAt, setAsAt] = useState("");
  const [pack, setPack] = useState(null);
  const [problem, setProblem] = useState(null);
  const [busy, setBusy] = useState("");

  async function build() {
    setBusy("Building the pack…");
    setProblem(null);
    try {
      setPack(await get("/api/tab/pack", { as_at: asAt }));
    } catch (error) {
      setPack(null);
      setProblem(error.message);
    }
    setBusy("");
  }

  async function download(kind) {
    setProblem(null);
    try {
      await downloadFile(get.identify, `/api/tab/pack.${kind}`, { as_at: pack.as_at });
    } catch (error) {
      setProblem(error.message);
    }
  }

  return (
    <div className={styles.panel}>
      <div className={styles.row}>
        <Field label="As at" hint="Empty: today. The past is rebuilt from the tracker's history.">
          <Input type="date" value={asAt} onChange={(_e, data) => setAsAt(data.value)} />
        </Field>
        <Button appearance="primary" disabled={Boolean(busy)} onClick={build}>Build the pack</Button>
      </div>
      <Text role="status" aria-live="polite">{busy}</Text>
      <ProblemBar problem={problem} />
      {pack ? (
        <section aria-label={`Panel pack as at ${pack.as_at}`} className={styles.panel}>
          <Text weight="semibold">Panel pack as at {pack.as_at} ({pack.figures.quarter})</Text>
          <dl className={styles.figures} aria-label="Headline figures">
            {headline(pack.figures).map(([term, value]) => (
              <div key={term} className={styles.pair}>
                <dt className={styles.term}>{term}</dt>
                <dd className={styles.value}>{value}</dd>
              </div>
            ))}
          </dl>
          {["outstanding", "overdue", "delivered"].map((topic) => (pack.sentences[topic] ? <Text key={topic} as="p">{pack.sentences[topic]}</Text> : null))}
          <div className={styles.row}>
            <Button onClick={() => download("xlsx")}>Download the pack (Excel)</Button>
            <Button onClick={() => download("html")}>Download the summary (HTML)</Button>
          </div>
        </section>
      ) : null}
    </div>
  );
}
