/** One row of the instructor view: who, their lab's state, and what the lab says of their progress. */
export interface StudentRow {
  student: string;
  lab: "not opened" | "starting" | "running" | "reaped (idle)" | "failed";
  pod: string | null;
  lastActivity: number | null;
  progress: unknown;
  progressNote?: string;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Progress as the lab reports it (issue 12's `exercise report --json`), summarised if it looks
 * like a list of exercises with a status, shown as compact JSON otherwise: the view never needs
 * to know the report's exact shape to be useful.
 */
export function summariseProgress(progress: unknown, note?: string): string {
  if (progress === null || progress === undefined) return note ?? "-";
  const list = Array.isArray(progress) ? progress : (progress as { exercises?: unknown }).exercises;
  if (Array.isArray(list) && list.every((e) => e && typeof e === "object")) {
    const done = list.filter((e: any) => e.done === true || ["done", "passed", "solved", "complete", "completed"].includes(String(e.status ?? "").toLowerCase()));
    return `${done.length}/${list.length} exercises done`;
  }
  const text = JSON.stringify(progress);
  return text.length > 120 ? text.slice(0, 117) + "..." : text;
}

export function instructorPage(rows: StudentRow[], now: number): string {
  const ago = (t: number | null) => (t === null ? "-" : `${Math.max(0, Math.round((now - t) / 60_000))} min ago`);
  const body = rows
    .map((r) => `<tr><td>${esc(r.student)}</td><td>${esc(r.lab)}</td><td>${esc(ago(r.lastActivity))}</td><td>${esc(summariseProgress(r.progress, r.progressNote))}</td></tr>`)
    .join("\n");
  const running = rows.filter((r) => r.lab === "running").length;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="15">
<title>xmpp-mitm-lab: the class</title>
<style>body{background:#0c0c0c;color:#e8e8e8;font:18px system-ui,sans-serif;margin:2rem}table{border-collapse:collapse}
td,th{border-bottom:1px solid #444;padding:.3rem 1rem;text-align:left}th{color:#aaa}</style></head>
<body><h1>The class: ${rows.length} students, ${running} labs running</h1>
<table><thead><tr><th>student</th><th>lab</th><th>last keystroke</th><th>progress</th></tr></thead><tbody>
${body}
</tbody></table><p>Refreshes every 15 s. JSON: instructor.json</p></body></html>
`;
}
