// What Strategy & Governance run from the tab besides the grid: upload a workbook, build the panel
// pack as at a date, export the tracker. Shown to governance only; the server refuses anyone else.
import { useState } from "react";
import {
  Accordion,
  AccordionHeader,
  AccordionItem,
  AccordionPanel,
  Button,
  MessageBar,
  MessageBarBody,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { downloadFile } from "./api.js";
import { Pack } from "./Pack.jsx";
import { Upload } from "./Upload.jsx";

const useStyles = makeStyles({
  tools: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  export: { display: "flex", gap: tokens.spacingHorizontalM, alignItems: "center" },
});

export function Governance({ get, onImported }) {
  const styles = useStyles();
  const [exporting, setExporting] = useState(null);

  async function exportTracker() {
    setExporting({ intent: "info", text: "Exporting the tracker…" });
    try {
      const name = await downloadFile(get.identify, "/api/tab/export");
      setExporting({ intent: "success", text: `Exported: ${name}` });
    } catch (error) {
      setExporting({ intent: "error", text: error.message });
    }
  }

  return (
    <section className={styles.tools} aria-label="Run the tracker">
      <Accordion collapsible multiple>
        <AccordionItem value="upload">
          <AccordionHeader as="h2">Upload a workbook</AccordionHeader>
          <AccordionPanel><Upload identify={get.identify} onImported={onImported} /></AccordionPanel>
        </AccordionItem>
        <AccordionItem value="pack">
          <AccordionHeader as="h2">Panel pack as at a date</AccordionHeader>
          <AccordionPanel><Pack get={get} /></AccordionPanel>
        </AccordionItem>
      </Accordion>
      <div className={styles.export}>
        <Button onClick={exportTracker}>Export the tracker (.xlsx)</Button>
        {exporting ? (
          <MessageBar intent={exporting.intent} role="status"><MessageBarBody>{exporting.text}</MessageBarBody></MessageBar>
        ) : null}
      </div>
    </section>
  );
}
