"""The page's CSS (kept in Python so it ships with the package without package-data)."""

CSS = """
/* News assistant UI. Colours work on light and dark themes (explicit text colour on marks). */
#app-head h1 { margin: 0.2em 0 0; font-size: 1.6em; }
#app-head p { margin: 0.2em 0 0.6em; color: var(--body-text-color-subdued); }

/* chat bubbles */
.reply { line-height: 1.5; }
.answer-text { font-size: 1.02em; }
a.cite {
  display: inline-block; margin: 0 1px; padding: 0 4px; border-radius: 4px;
  font-size: 0.8em; font-weight: 600; vertical-align: super; line-height: 1.2;
  text-decoration: none; cursor: pointer;
  background: var(--color-accent-soft, #dbeafe); color: var(--color-accent, #1d4ed8) !important;
}
a.cite:hover { filter: brightness(0.92); }
.abstain {
  font-style: italic; color: var(--body-text-color-subdued);
  border-left: 3px dashed var(--border-color-primary); padding: 2px 0 2px 10px;
}
.abstain-icon { font-style: normal; font-weight: 700; }
.rewritten { font-size: 0.85em; color: var(--body-text-color-subdued); margin-bottom: 4px; }
.answer-meta { font-size: 0.78em; color: var(--body-text-color-subdued); margin-top: 6px; }
.streaming .cursor { animation: blink 1s step-start infinite; margin-left: 1px; }
@keyframes blink { 50% { opacity: 0; } }
.error-msg { color: #b91c1c; font-weight: 500; }
.dark .error-msg { color: #fca5a5; }
.user-text { white-space: pre-wrap; }

/* flags */
.flag {
  margin: 8px 0; padding: 8px 10px; border-radius: 6px;
  border: 1px solid #f59e0b; border-left-width: 5px;
  background: rgba(245, 158, 11, 0.10);
}
.flag-error { border-color: #dc2626; background: rgba(220, 38, 38, 0.08); }
.flag-info { border-color: #3b82f6; background: rgba(59, 130, 246, 0.08); }
.flag-head { font-weight: 700; color: #b45309; margin-right: 4px; }
details.flag > summary { cursor: pointer; }
details.flag > summary .flag-msg { display: inline; }
.flag-msg { display: block; margin: 2px 0 4px; }
.dark .flag-head { color: #fbbf24; }
.flag-n {
  display: inline-block; min-width: 1.4em; text-align: center; border-radius: 9px;
  background: #f59e0b; color: #111; font-size: 0.8em; margin-right: 2px;
}
.flag-sides { margin: 2px 0 0 1.1em; padding: 0; }
.flag-sides li { margin: 3px 0; }
.flag-sides .q { font-style: italic; }
.side-src { font-size: 0.85em; color: var(--body-text-color-subdued); }
.ok-note { color: #15803d; font-weight: 500; margin: 6px 0; }
.dark .ok-note { color: #86efac; }

/* sources */
.sources-scroll { max-height: 620px; overflow-y: auto; padding-right: 4px; }
.reply .flag { font-size: 0.9em; padding: 6px 8px; }
.reply .flag-sides .q { font-size: 0.95em; }
.turn-sources { margin-bottom: 14px; }
.turn-sources:not(.latest) { opacity: 0.8; }
.turn-q { font-weight: 600; margin: 4px 0 6px; }
details.src {
  border: 1px solid var(--border-color-primary); border-radius: 6px; margin: 6px 0;
  padding: 4px 8px; background: var(--block-background-fill);
}
details.src > summary { cursor: pointer; list-style-position: outside; }
details.src.flash { animation: flash 1.4s ease-out; }
@keyframes flash { 0% { box-shadow: 0 0 0 3px #60a5fa; } 100% { box-shadow: none; } }
.cite-n { font-weight: 700; color: var(--color-accent, #1d4ed8); }
.src-title { font-weight: 600; }
.src-file {
  font-family: var(--font-mono); font-size: 0.8em; color: var(--body-text-color-subdued);
  margin-left: 4px;
}
.passage { white-space: pre-wrap; margin: 6px 0 4px; line-height: 1.5; font-size: 0.93em; }
mark.quote, mark.flagged { color: #111; border-radius: 3px; padding: 0 1px; }
mark.quote { background: #fde68a; }
mark.flagged { background: #fecaca; border-bottom: 2px solid #dc2626; }
.src-meta { font-size: 0.75em; color: var(--body-text-color-subdued); }
.muted { color: var(--body-text-color-subdued); font-style: italic; }

/* check */
.check-summary { font-weight: 600; margin-bottom: 4px; }
.doc-head { margin: 14px 0 6px; }
.doc-text {
  white-space: pre-wrap; line-height: 1.6; padding: 10px 12px; border-radius: 6px;
  border: 1px solid var(--border-color-primary); background: var(--block-background-fill);
  max-height: 520px; overflow-y: auto;
}
sup.flag-ref { color: #b91c1c; font-weight: 700; margin-left: 1px; }
.verdict { padding: 8px 10px; border-radius: 6px; border-left: 5px solid #64748b; }
.verdict-supported { border-color: #16a34a; background: rgba(22, 163, 74, 0.08); }
.verdict-contradicted { border-color: #dc2626; background: rgba(220, 38, 38, 0.08); }
.verdict-not_found { border-color: #94a3b8; background: rgba(148, 163, 184, 0.12); }
.verdict-head { font-weight: 700; font-size: 1.05em; }
.verdict-msg { margin: 4px 0 6px; }

/* summary and evals */
ol.summary li { margin: 4px 0; line-height: 1.5; }
.summary-sources { margin-top: 10px; }
.metrics { display: flex; flex-wrap: wrap; gap: 10px; }
.metric {
  border: 1px solid var(--border-color-primary); border-radius: 6px; padding: 6px 12px;
  min-width: 110px; background: var(--block-background-fill);
}
.metric-v { font-size: 1.3em; font-weight: 700; }
.metric-k { font-size: 0.8em; color: var(--body-text-color-subdued); }
"""
