// The workspace: who you are, the tracker's filters, the grid (sorted and paged by the server) and an
// action's page. What you see is what the server's scope gives you; the page decides nothing.
import { useEffect, useRef, useState } from "react";
import {
  Button,
  Checkbox,
  Field,
  Input,
  Link,
  Select,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  Title2,
  makeStyles,
  mergeClasses,
  tokens,
} from "@fluentui/react-components";
import * as layout from "./styles.js";
import { ProblemBar } from "./Problems.jsx";
import { Detail } from "./Detail.jsx";
import { Governance } from "./Governance.jsx";
import { NewAudit } from "./NewAudit.jsx";
import { NewItems } from "./NewItems.jsx";
import { Decisions } from "./Decisions.jsx";
import { Cycle } from "./Cycle.jsx";
import { Figures } from "./Figures.jsx";

// The workspace's views: each shown only to whom the server serves it (it refuses everyone else).
const VIEWS = [
  ["tracker", "Tracker", () => true],
  ["decisions", "Decisions", (me) => me.governance],
  ["cycle", "Update cycle", (me) => me.governance],
  ["figures", "Figures", (me) => me.governance || me.leads.length > 0],
];

const useStyles = makeStyles({
  page: layout.page,
  filters: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalM, alignItems: "end" },
  pager: { display: "flex", gap: tokens.spacingHorizontalM, alignItems: "center" },
  hidden: { display: "none" },
  // The row's own text colour, underlined: it follows the row's hover colours, so it stays legible
  // in all three themes (the brand link colour fell under 4.5:1 on a hovered row in dark and high contrast).
  ref: { color: "inherit", textDecorationLine: "underline", ":hover": { color: "inherit" } },
  late: { color: tokens.colorPaletteRedForeground1, fontWeight: tokens.fontWeightSemibold },
});

const STATUSES = ["open", "in progress", "implemented", "closed", "superseded", "holding", "submitted for closure"];
const COLUMNS = [
  ["ref", "Reference"],
  ["title", "Action"],
  ["group", "Group"],
  ["owner", "Owner"],
  ["status", "Status"],
  ["risk", "Risk"],
  ["due", "Due"],
];
const EMPTY = { group: "", status: "", risk: "", source: "", overdue: false, due_from: "", due_to: "", audit: "", owner: "", q: "" };
const PAGE_SIZE = 25;

export function Workspace({ get, send }) {
  const styles = useStyles();
  const [me, setMe] = useState(null);
  const [choices, setChoices] = useState({ groups: [], audits: [], owners: [] });
  const [filters, setFilters] = useState(EMPTY);
  const [sort, setSort] = useState({ key: "due", dir: "asc" });
  const [page, setPage] = useState(0);
  const [grid, setGrid] = useState(null);
  const [problem, setProblem] = useState(null);
  const [open, setOpen] = useState(null);
  const [refresh, setRefresh] = useState(0); // bumped after an edit: the grid reads again
  const [adding, setAdding] = useState(null); // "audit" | "items": a governance form instead of the grid
  const lastOpened = useRef(null);
  const [view, setView] = useState("tracker");

  useEffect(() => {
    Promise.all([get("/api/tab/me"), get("/api/tab/choices")])
      .then(([who, offered]) => {
        setMe(who);
        setChoices(offered);
      })
      .catch((error) => setProblem(error.message));
  }, [get, refresh]);

  useEffect(() => {
    const params = { ...filters, overdue: filters.overdue ? "1" : "", sort: sort.key, dir: sort.dir, page, page_size: PAGE_SIZE };
    get("/api/tab/grid", params)
      .then((body) => {
        setGrid(body);
        setProblem(null);
      })
      .catch((error) => setProblem(error.message));
  }, [get, filters, sort, page, refresh]);

  const change = (name) => (_e, data) => {
    setFilters((f) => ({ ...f, [name]: data.checked !== undefined ? Boolean(data.checked) : data.value }));
    setPage(0);
  };
  const sortBy = (key) => {
    setSort((s) => ({ key, dir: s.key === key && s.dir === "asc" ? "desc" : "asc" }));
    setPage(0);
  };

  const pages = grid ? Math.max(1, Math.ceil(grid.total / grid.page_size)) : 1;
  // The grid stays mounted (hidden) while an action is open: its filters, page and focus survive.
  const detail = open ? (
    <Detail
      get={get}
      send={send}
      editable={Boolean(me?.governance) && open.kind === "action"}
      choices={choices}
      onChanged={() => setRefresh((n) => n + 1)}
      row={open}
      onBack={() => {
        setOpen(null);
        setTimeout(() => lastOpened.current?.focus(), 0);
      }}
    />
  ) : null;
  const Adding = adding === "audit" ? NewAudit : adding === "items" ? NewItems : null;
  const form = Adding && !open ? (
    <Adding send={send} choices={choices} onAdded={() => setRefresh((n) => n + 1)} onClose={() => setAdding(null)} />
  ) : null;
  const views = me ? VIEWS.filter(([, , shown]) => shown(me)) : [];
  return (
    <>
    {views.length > 1 ? (
      <nav className={styles.pager} aria-label="Workspace">
        {views.map(([name, label]) => (
          <Button key={name} appearance={view === name ? "primary" : "subtle"} aria-current={view === name ? "page" : undefined} onClick={() => { setView(name); setOpen(null); setAdding(null); }}>
            {label}
          </Button>
        ))}
      </nav>
    ) : null}
    {view === "decisions" ? <Decisions get={get} send={send} /> : null}
    {view === "cycle" ? <Cycle get={get} send={send} /> : null}
    {view === "figures" ? <Figures get={get} send={send} me={me} /> : null}
    {view === "tracker" ? detail : null}
    {view === "tracker" ? form : null}
    <div className={mergeClasses(styles.page, (open || form || view !== "tracker") && styles.hidden)} hidden={Boolean(open || form) || view !== "tracker"}>
      <Title2 as="h1">Tracker</Title2>
      {me ? (
        <Text>
          {me.name}: {me.governance ? "the whole tracker" : me.leads.length ? `groups you lead: ${[...new Set(me.leads.map((l) => l.group))].join(", ")} (read-only)` : "your actions"}
        </Text>
      ) : null}
      {me?.governance ? <Governance get={get} onImported={() => setRefresh((n) => n + 1)} /> : null}
      {me?.governance ? (
        <div className={styles.pager}>
          <Button onClick={() => setAdding("audit")}>New audit</Button>
          <Button onClick={() => setAdding("items")}>New inspection items</Button>
        </div>
      ) : null}
      <form className={styles.filters} role="search" aria-label="Filter the tracker" onSubmit={(e) => e.preventDefault()}>
        <Field label="Search"><Input value={filters.q} onChange={change("q")} placeholder="reference, words, owner" /></Field>
        <Field label="Group">
          <Select value={filters.group} onChange={change("group")}>
            <option value="">All groups</option>
            {choices.groups.map((g) => <option key={g} value={g}>{g}</option>)}
          </Select>
        </Field>
        <Field label="Status">
          <Select value={filters.status} onChange={change("status")}>
            <option value="">Any status</option>
            {STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
          </Select>
        </Field>
        <Field label="Risk">
          <Select value={filters.risk} onChange={change("risk")}>
            <option value="">Any risk</option>
            {["high", "medium", "low"].map((r) => <option key={r} value={r}>{r}</option>)}
          </Select>
        </Field>
        <Field label="Source">
          <Select value={filters.source} onChange={change("source")}>
            <option value="">DARA and HMICFRS</option>
            <option value="dara">DARA actions</option>
            <option value="hmicfrs">HMICFRS items</option>
          </Select>
        </Field>
        <Field label="Audit">
          <Select value={filters.audit} onChange={change("audit")}>
            <option value="">Any audit</option>
            {choices.audits.map((a) => <option key={a.id} value={a.id}>{a.id}: {a.title}</option>)}
          </Select>
        </Field>
        <Field label="Owner">
          <Select value={filters.owner} onChange={change("owner")}>
            <option value="">Anyone</option>
            {choices.owners.map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
          </Select>
        </Field>
        <Field label="Due from"><Input type="date" value={filters.due_from} onChange={change("due_from")} /></Field>
        <Field label="Due to"><Input type="date" value={filters.due_to} onChange={change("due_to")} /></Field>
        <Checkbox label="Overdue only (the panel's figure)" checked={filters.overdue} onChange={change("overdue")} />
        <Button onClick={() => { setFilters(EMPTY); setPage(0); }}>Clear filters</Button>
      </form>
      <ProblemBar problem={problem} />
      <Text role="status" aria-live="polite">{grid ? `${grid.total} found` : "Loading…"}</Text>
      <Table aria-label="Tracker actions and inspection items" size="small">
        <TableHeader>
          <TableRow>
            {COLUMNS.map(([key, label]) => (
              <TableHeaderCell
                key={key}
                sortable
                sortDirection={sort.key === key ? (sort.dir === "asc" ? "ascending" : "descending") : undefined}
                onClick={() => sortBy(key)}
              >
                {label}
              </TableHeaderCell>
            ))}
          </TableRow>
        </TableHeader>
        <TableBody>
          {(grid?.rows || []).map((row) => (
            <TableRow key={`${row.kind}:${row.ref}`}>
              <TableCell>
                <Link as="button" className={styles.ref} onClick={(e) => { lastOpened.current = e.currentTarget; setOpen(row); }}>
                  {row.ref}
                </Link>
              </TableCell>
              <TableCell>{row.title}</TableCell>
              <TableCell>{row.group || "none"}</TableCell>
              <TableCell>{row.owner || "none"}</TableCell>
              <TableCell>{row.status}</TableCell>
              <TableCell>{row.risk || "n/a"}</TableCell>
              <TableCell>
                {row.due || "none"}
                {row.overdue ? <span className={styles.late}> ({row.days_overdue} days overdue)</span> : null}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <nav className={styles.pager} aria-label="Pages">
        <Button disabled={page === 0} onClick={() => setPage((p) => p - 1)}>Previous page</Button>
        <Text>Page {page + 1} of {pages}</Text>
        <Button disabled={page + 1 >= pages} onClick={() => setPage((p) => p + 1)}>Next page</Button>
      </nav>
    </div>
    </>
  );
}
