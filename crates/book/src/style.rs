//! The book's one style sheet: two code columns side by side on a wide screen, one above the
//! other on a phone; long lines wrap inside their column, so the page never scrolls sideways.

/// `style.css`.
pub const STYLE: &str = r#"
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", "Noto Sans CJK SC",
  "PingFang SC", "Microsoft YaHei", sans-serif; color: #1f2328; background: #fff; }
main { max-width: 1400px; margin: 0 auto; padding: 0 16px 32px; }
h1 { font-size: 1.8em; margin: .2em 0; }
h2 { font-size: 1.3em; margin-top: 1.6em; border-bottom: 1px solid #d0d7de; }
h3 { font-size: 1.05em; }
code, pre { font: 13px/1.45 ui-monospace, "SFMono-Regular", Menlo, Consolas,
  "Noto Sans Mono CJK SC", monospace; }
nav { display: flex; flex-wrap: wrap; gap: 6px 18px; padding: 10px 0;
  border-bottom: 1px solid #d0d7de; }
nav .lang { margin-left: auto; }
nav .sec { color: #57606a; }
a { color: #0969da; overflow-wrap: anywhere; }
.part { color: #57606a; margin: 1em 0 0; }
.crate { margin: 0; color: #57606a; }
.about { max-width: 60em; }
.legend span { display: inline-block; padding: 0 6px; margin: 2px 4px 2px 0; border-radius: 3px; }
.tagbox { font-family: ui-monospace, monospace; color: #57606a; }
.pair { border: 1px solid #d0d7de; border-radius: 6px; }
.row { display: grid; grid-template-columns: 3em minmax(0, 1fr) minmax(0, 1fr);
  border-top: 1px solid #eaeef2; }
.row:first-child { border-top: 0; }
.row.head { background: #f6f8fa; font-size: 14px; }
.row.head .cell { padding: 6px 10px; overflow-wrap: anywhere; }
.tag { font: 12px/1.45 ui-monospace, monospace; color: #57606a; padding: 6px 4px;
  text-align: right; }
.cell { min-width: 0; }
.cell.rs { border-left: 1px solid #eaeef2; }
.cell pre { margin: 0; padding: 6px 10px; white-space: pre-wrap; overflow-wrap: anywhere; }
.cell.empty pre { background: repeating-linear-gradient(135deg, #fafbfc, #fafbfc 6px,
  #f3f4f6 6px, #f3f4f6 12px); min-height: 100%; }
.notes { color: #116329; background: #dafbe1; }
.differs { color: #7d4e00; background: #fff8c5; font-weight: 600; }
.comment { color: #6e7781; }
ul.sure li, ul.likely li { margin: 2px 0; }
.share { color: #57606a; }
figure { margin: 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #d0d7de; background: #fff; }
figcaption { color: #57606a; font-size: 14px; }
pre.command { background: #f6f8fa; padding: 8px 12px; border-radius: 6px; white-space: pre-wrap;
  overflow-wrap: anywhere; }
ol.toc, ul.toc { max-width: 60em; }
ol.toc li, ul.toc li { margin: 8px 0; }
.how { color: #57606a; margin-top: 2em; }
@media (max-width: 760px) {
  main { padding: 0 10px 24px; }
  h1 { font-size: 1.45em; }
  .row { grid-template-columns: 2.4em minmax(0, 1fr); }
  .row .cell.py { grid-column: 2; }
  .row .cell.rs { grid-column: 2; border-left: 0; border-top: 1px dashed #eaeef2; }
  .row .cell::before { content: attr(data-label); display: block; font: 11px/1.2 system-ui,
    sans-serif; color: #8c959f; padding: 4px 10px 0; }
  .row.head .cell::before { content: none; }
  .row .cell.empty { display: none; }
  .tag { grid-row: span 2; }
}
"#;
