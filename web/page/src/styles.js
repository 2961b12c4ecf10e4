// The style objects several views share, so a view's layout reads the same everywhere (and changes in
// one place); each view passes them to its own makeStyles beside the styles only it has.
import { tokens } from "@fluentui/react-components";

// A view's column: its heading, messages and sections one under another.
export const page = { padding: tokens.spacingHorizontalL, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM };
// A panel inside a view: the same column without the view's padding.
export const panel = { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM };
// Buttons and fields side by side, lined up on their bottom edge, wrapping on a narrow tab.
export const row = { display: "flex", gap: tokens.spacingHorizontalM, alignItems: "end", flexWrap: "wrap" };
// A form's fields in as many columns as fit; `wide` takes a whole line of it.
export const form = { display: "grid", gridTemplateColumns: "repeat(auto-fill, minmax(16rem, 1fr))", gap: tokens.spacingHorizontalM };
export const wide = { gridColumn: "1 / -1" };
// A <dl> of facts: each term and value (pair) in the grid of the list itself, values unindented.
export const pair = { display: "contents" };
export const value = { margin: 0 };
