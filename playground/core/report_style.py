"""The inline stylesheet of the evaluation report (core/eval_report.py): light by default,
dark when the reader's system prefers it, plain on paper. System fonts only: nothing is
fetched. A failed cell is marked by its words ("✗ FAILED") and a thick left rule, not by
colour alone."""

CSS = """
:root {
  --bg: #ffffff; --fg: #1d2329; --muted: #5b6670; --line: #d5dbe1; --head: #f2f4f7;
  --ok: #1a7f37; --bad: #b42318; --bad-bg: #fdecea; --warn: #9a6700; --warn-bg: #fff4d6;
  --code-bg: #f6f8fa; --accent: #0b5cad;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #16191d; --fg: #e6e9ec; --muted: #9aa5af; --line: #343b43; --head: #20252b;
    --ok: #4ac26b; --bad: #ff7b72; --bad-bg: #3a1d1d; --warn: #e3b341; --warn-bg: #33291a;
    --code-bg: #1e2227; --accent: #6cb6ff;
  }
}
* { box-sizing: border-box; }
body {
  margin: 0 auto; padding: 24px 32px 48px; max-width: 1400px;
  background: var(--bg); color: var(--fg);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
}
h1 { font-size: 24px; margin: 0 0 4px; }
h2 {
  font-size: 18px;
  margin: 32px 0 8px;
  padding-bottom: 4px;
  border-bottom: 1px solid var(--line);
}
h3 { font-size: 15px; margin: 18px 0 6px; }
code, pre {
  font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace;
  font-size: 12px;
}
.meta, .note { color: var(--muted); }
.note { font-size: 12.5px; margin: 4px 0 10px; }
.headline { font-size: 18px; font-weight: 600; margin: 10px 0 6px; }
ul.variants { margin: 4px 0 0; padding-left: 20px; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid var(--line); padding: 6px 8px; vertical-align: top; text-align: left; }
thead th { background: var(--head); }
table.figures td { font-variant-numeric: tabular-nums; white-space: nowrap; }
table.figures { width: auto; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; }
figure { margin: 0; border: 1px solid var(--line); padding: 8px; background: #ffffff; }
figure img { display: block; max-width: 100%; height: auto; }
figcaption { color: #333a40; font-size: 12.5px; margin-top: 4px; }
table.matrix { table-layout: fixed; }
table.matrix thead th:first-child, .rowhead { width: 220px; }
.rowhead { font-weight: normal; background: var(--head); overflow-wrap: anywhere; }
.rowid { font-weight: 600; }
.var .name, .expected .name {
  font-family: ui-monospace, "DejaVu Sans Mono", monospace;
  font-size: 12px;
  color: var(--muted);
}
.var .name::after, .expected .name::after { content: " ="; }
.expected { font-style: italic; }
.rownote { color: var(--muted); margin-top: 4px; }
.rownote::before { content: "note: "; }
td.cell { overflow-wrap: anywhere; border-left-width: 4px; }
td.cell.passed { border-left-color: var(--ok); }
td.cell.failed { border-left: 6px double var(--bad); background: var(--bad-bg); }
td.cell.error { border-left: 6px dashed var(--warn); background: var(--warn-bg); }
td.cell.pending { color: var(--muted); }
.outcome { font-weight: 700; }
td.passed .outcome { color: var(--ok); }
td.failed .outcome { color: var(--bad); }
td.error .outcome { color: var(--warn); }
ul.grades { list-style: none; margin: 4px 0; padding: 0; }
ul.grades li.bad { color: var(--bad); }
ul.grades li.ok { color: var(--fg); }
blockquote.answer {
  margin: 4px 0;
  padding: 2px 8px;
  border-left: 3px solid var(--line);
  white-space: normal;  /* line breaks folded, as the window's matrix shows a preview */
}
.cellfig { color: var(--muted); font-size: 12px; margin: 4px 0 0; }
p.error { color: var(--bad); margin: 4px 0; }
details { border: 1px solid var(--line); border-radius: 4px; margin: 6px 0; }
summary { cursor: pointer; padding: 6px 10px; background: var(--head); }
pre {
  margin: 0;
  padding: 10px;
  background: var(--code-bg);
  overflow-x: auto;
  white-space: pre-wrap;
  overflow-wrap: anywhere;
}
@media print {
  body { max-width: none; padding: 0; font-size: 11px; }
  tr, figure, details { break-inside: avoid; }
  td.cell.failed, td.cell.error { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""
