// A table's header row of plain column names: the same markup every read-only table repeated.
import { TableHeader, TableHeaderCell, TableRow } from "@fluentui/react-components";

export function HeadRow({ names }) {
  return (
    <TableHeader>
      <TableRow>
        {names.map((name) => <TableHeaderCell key={name}>{name}</TableHeaderCell>)}
      </TableRow>
    </TableHeader>
  );
}
