import { Box, Text } from "ink";
import type { RunResult } from "../runner.js";
import { ACTS, SCENARIOS, type Scenario } from "../../scenarios/index.js";
import type { Step } from "./steps.js";
import { color, fit, TONE } from "./theme.js";

export function Header({ s, width }: { s: Scenario; width: number }) {
  // The scenario comes first; the lab's name and the act only where they fit.
  const right = `mallory: ${s.capability} `;
  const core = ` ${s.n}/${SCENARIOS.length} ${s.id} · ${ACTS[s.act].split(" - ")[0]}`;
  const left = core.length + right.length + 18 <= width ? ` xmpp-mitm-lab ·${core}` : core;
  return (
    <Box width={width}>
      <Text bold>{fit(left, width - right.length - 1)}</Text>
      <Box flexGrow={1} />
      <Text color={color("magenta")}>{right}</Text>
    </Box>
  );
}

const LANES = ["alice (client)", "mallory (attacker)", "server lab.example"];

export function LaneTitles({ width }: { width: number }) {
  const w = Math.floor(width / 3);
  return (
    <Box flexDirection="column">
      <Box>
        {LANES.map((l) => (
          <Box key={l} width={w}>
            <Text bold>{" " + fit(l, w - 1)}</Text>
          </Box>
        ))}
      </Box>
      <Text dimColor>{"─".repeat(Math.max(0, width - 1))}</Text>
    </Box>
  );
}

/**
 * One step: indented to its lane, running on into the empty lanes to its right. The current
 * step is marked with › (not by colour alone).
 */
export function StepRow({ step, width, current }: { step: Step; width: number; current: boolean }) {
  const w = Math.floor(width / 3);
  let label = step.dir === "right" ? `${step.text} ─▶` : step.dir === "left" ? `◀─ ${step.text}` : step.text;
  // The server lane is the narrowest at the right edge: a long line moves left into the
  // (empty) middle of its row rather than lose its end - and then says whose line it is.
  let indent = step.lane === "alice" ? 0 : step.lane === "mallory" ? w : 2 * w;
  if (step.lane === "server" && width - indent - 3 < label.length) {
    label = "server: " + label;
    indent = Math.max(w, width - label.length - 3);
  }
  return (
    <Text>
      <Text bold>{current ? "›" : " "}</Text>
      <Text>{" ".repeat(indent)}</Text>
      <Text color={TONE[step.tone]} bold={current} underline={current && !!process.env.NO_COLOR}>
        {fit(label, width - indent - 2)}
      </Text>
    </Text>
  );
}

/** mallory's notebook: only what the trace shows mallory obtained. */
export function Notebook({ events, width }: { events: RunResult["events"]; width: number }) {
  const items: string[] = [];
  let read = 0;
  let rewritten = 0;
  for (const e of events) {
    if (e.node !== "mallory" || e.kind !== "loot") continue;
    const l = e.loot;
    if (l.type === "credential") items.unshift(`★ ${l.username} / "${l.password}"`);
    if (l.type === "scram") items.push(`◆ SCRAM of ${l.username}`);
    if (l.type === "message-read") read++;
    if (l.type === "message-tampered") rewritten++;
  }
  // The password first: it is the headline; then the counts.
  const stars = items.filter((i) => i.startsWith("★"));
  const rest = items.filter((i) => !i.startsWith("★"));
  items.length = 0;
  items.push(...stars, ...(rewritten ? [`✎ ${rewritten} rewritten`] : []), ...(read ? [`👁 ${read} read`] : []), ...rest);
  const sealed = events.filter((e) => e.node === "mallory" && e.kind === "sealed").length;
  if (!items.length && sealed) items.push("🔒 only ciphertext sizes");
  const label = width >= 100 ? " mallory's notebook: " : " notebook: ";
  return (
    <Text>
      <Text bold>{label}</Text>
      <Text color={color("yellow")}>{fit(items.length ? items.join("  ") : "(empty)", width - label.length - 1)}</Text>
    </Text>
  );
}

export function VerdictBanner({ r, prediction, width }: { r: RunResult; prediction?: string; width: number }) {
  const won = r.outcome === "attack-succeeds";
  const head = won ? "✘ ATTACK SUCCEEDED" : "✔ ATTACK FAILED";
  const room = prediction ? (prediction === r.outcome ? "  · the room predicted it ✔" : "  · the room predicted otherwise ✘") : "";
  return (
    <Box flexDirection="column">
      <Text bold color={won ? color("red") : color("green")} inverse={!process.env.NO_COLOR}>
        {fit(` ${head} - ${r.headline}`, width - 1)}
      </Text>
      <Text>
        {r.asExpected ? <Text dimColor>{" as the scenario expects"}</Text> : <Text color={color("red")}>{` ⚠ NOT as expected (${r.scenario.expected})`}</Text>}
        <Text>{room}</Text>
      </Text>
      <Text bold>{fit(` Lesson: ${r.scenario.lesson}`, width * 2 - 4)}</Text>
    </Box>
  );
}

export function Keys({ text }: { text: string }) {
  return <Text dimColor>{" " + text}</Text>;
}
