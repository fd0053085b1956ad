import { ACTS, type Scenario } from "../../scenarios/index.js";
import { formatValue } from "../settings-format.js";
import { labelled, type Line, line, lineWidth, span } from "./lines.js";
import { LANE_COLOR } from "./theme.js";
import { fit, width } from "./text.js";

/** The top line of a scenario's screens: which scenario, and what mallory can do. */
export function header(s: Scenario, total: number, w: number): Line {
  const right = ` mallory: ${s.capability} `;
  const act = ACTS[s.act].split(" - ")[0];
  const core = ` ${s.n}/${total} ${s.id} · ${act}`;
  const room = w - width(right);
  // The scenario first; the lab's name only where it fits, the act only where it fits whole
  // (not '· …'); mallory's capability, never cut.
  const left = width(core) + width(right) + 18 <= w ? ` xmpp-mitm-lab ·${core}` : width(core) <= room - 1 ? core : ` ${s.n}/${total} ${s.id}`;
  if (room < 12) return line(span(fit(core, w), { bold: true }));
  const l = fit(left, room - 1);
  return line(span(l, { bold: true }), " ".repeat(Math.max(1, w - width(l) - width(right))), span(right, { color: LANE_COLOR.mallory(), bold: true }));
}

/**
 * The settings changed with --set, one line, wrapped: the room must know this is not the
 * scenario as shipped. Nothing when none changed.
 */
export function changedLines(s: Scenario, w: number): Line[] {
  const changed = s.variant?.changed ?? [];
  if (!changed.length) return [];
  const text = changed.map((c) => `${c.path}=${formatValue(c.used)} (shipped: ${formatValue(c.scenario)})`).join(" · ");
  return labelled(span(" ⚙ --set ", { bold: true }), text, w);
}

export type Hint = [key: string, does: string];

/**
 * The key hints at the bottom: key names bold, in normal weight (a projector washes out dim
 * text). When they do not all fit, the least important go (the last ones before `?` and `q`,
 * which always stay); a hint is never cut in half.
 */
export function footer(hints: Hint[], w: number, prefix = ""): Line {
  const keep = (h: Hint) => h[0] === "?" || h[0] === "q";
  const shown = [...hints];
  const draw = (): Line => {
    const out: Line = prefix ? [span(" " + prefix)] : [];
    for (const [k, d] of shown) out.push(span(out.length ? " · " : " "), span(k, { bold: true }), span(" " + d));
    return out;
  };
  while (lineWidth(draw()) > w) {
    let i = shown.length - 1;
    while (i >= 0 && keep(shown[i])) i--;
    if (i < 0) break;
    shown.splice(i, 1);
  }
  return draw();
}
