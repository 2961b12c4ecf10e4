// Local mode only: pick the demo person to act as (like the Agents Playground's mock users) and a theme.
import { useEffect, useState } from "react";
import { Field, Select, makeStyles, tokens } from "@fluentui/react-components";

const useStyles = makeStyles({
  row: { display: "flex", gap: tokens.spacingHorizontalL, flexWrap: "wrap", padding: tokens.spacingVerticalM },
});

const ROLE_WORDS = { governance: "governance", chief_officer: "chief officer", spoc: "SPOC", owner: "owner" };

export function LocalPicker({ person, onPick, theme, onTheme, themes }) {
  const styles = useStyles();
  const [people, setPeople] = useState([]);
  useEffect(() => {
    fetch("/api/tab/local/people", { headers: { Accept: "application/json" } })
      .then((r) => r.json())
      .then((body) => setPeople(body.people || []));
  }, []);
  const leaders = people.filter((p) => p.roles.some((r) => r !== "owner"));
  const owners = people.filter((p) => p.roles.every((r) => r === "owner"));
  const label = (p) => `${p.name} (${p.roles.map((r) => ROLE_WORDS[r] || r).join(", ")}${p.group ? `, ${p.group}` : ""})`;
  return (
    <div className={styles.row}>
      <Field label="Act as">
        <Select value={person || ""} onChange={(_e, data) => onPick(data.value ? Number(data.value) : null)}>
          <option value="">Pick a demo person…</option>
          <optgroup label="Governance, chief officers and SPOCs">
            {leaders.map((p) => (
              <option key={p.id} value={p.id}>{label(p)}</option>
            ))}
          </optgroup>
          <optgroup label="Action owners">
            {owners.map((p) => (
              <option key={p.id} value={p.id}>{label(p)}</option>
            ))}
          </optgroup>
        </Select>
      </Field>
      <Field label="Theme">
        <Select value={theme} onChange={(_e, data) => onTheme(data.value)}>
          {themes.map((t) => (
            <option key={t} value={t}>{t === "contrast" ? "high contrast" : t}</option>
          ))}
        </Select>
      </Field>
    </div>
  );
}
