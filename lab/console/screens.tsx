import { Box, Text } from "ink";
import { ACTS, SCENARIOS } from "../../scenarios/index.js";
import { Header, Keys, LaneTitles, Notebook, StepRow, VerdictBanner } from "./parts.js";
import { atEnd, type State } from "./state.js";
import { explainStep } from "./explain.js";
import { color, fit } from "./theme.js";

export function Home({ s, width, height }: { s: State; width: number; height: number }) {
  const sel = SCENARIOS[s.selected];
  const compact = height < 30;
  return (
    <Box flexDirection="column" width={width}>
      <Text bold>{" xmpp-mitm-lab - STARTTLS stripping vs pinned direct TLS, live on loopback"}</Text>
      {[1, 2, 3].map((act) => (
        <Box key={act} flexDirection="column">
          {!compact && <Text> </Text>}
          <Text bold color={color("magenta")}>{" " + fit(ACTS[act], width - 2)}</Text>
          {SCENARIOS.filter((x) => x.act === act).map((x) => {
            const on = x.n === sel.n;
            const mark = x.expected === "attack-succeeds" ? "✘" : "✔";
            const ran = s.results[x.id] ? (s.results[x.id].asExpected ? " ·ran" : " ·⚠") : "";
            return (
              <Text key={x.id} bold={on} inverse={on}>
                {fit(`${on ? " ▸" : "  "} ${String(x.n).padStart(2)} ${x.id.padEnd(31)} ${mark} ${x.title}${ran}`, width - 1)}
              </Text>
            );
          })}
        </Box>
      ))}
      {!compact && <Text> </Text>}
      <Text>{fit(` ${sel.lesson}`, width * 2 - 4)}</Text>
      <Text color={color("magenta")}>
        {fit(` mallory: ${sel.capability} · expected: ${sel.expected === "attack-succeeds" ? "✘ the attack succeeds" : "✔ the attack fails"}`, width - 1)}
      </Text>
      <Keys text={`↑↓ choose · enter run${s.predictMode ? " (predict first)" : ""} · c compare · ? help · q quit`} />
    </Box>
  );
}

export function Predict({ s, width }: { s: State; width: number }) {
  const sel = SCENARIOS[s.selected];
  return (
    <Box flexDirection="column" width={width}>
      <Header s={sel} width={width} />
      <Text> </Text>
      <Text bold>{" " + fit(sel.title, width - 2)}</Text>
      <Text>{fit(" " + sel.lesson.split(":")[0], width * 2)}</Text>
      <Text> </Text>
      <Text bold color={color("cyan")}>{" Ask the room: will mallory's attack work?"}</Text>
      <Keys text="y yes, it works · n no, it fails · q back" />
    </Box>
  );
}

export function Run({ s, width, height }: { s: State; width: number; height: number }) {
  const run = s.run!;
  const sc = SCENARIOS.find((x) => x.id === run.id)!;
  if (!run.result) {
    return (
      <Box flexDirection="column" width={width}>
        <Header s={sc} width={width} />
        <Text>{s.error ? ` ✘ ${s.error}` : " running on loopback…"}</Text>
      </Box>
    );
  }
  const r = run.result;
  const current = run.steps[run.at - 1];
  const end = atEnd(s);
  const xmlLines = s.showXml && current?.xml ? current.xml.split(/(?<=>)(?=<)/).slice(0, 6) : [];
  // Rows left for steps: header 1, lane titles 2, rule 1, narration 2, notebook 1, verdict 2, keys 1, xml.
  const room = Math.max(3, height - 11 - (xmlLines.length ? xmlLines.length + 1 : 0) - (end ? 2 : 0));
  const first = Math.max(0, run.at - room);
  const visible = run.steps.slice(first, run.at);
  const say = current ? current.say ?? explainStep(current) : "";
  return (
    <Box flexDirection="column" width={width}>
      <Header s={sc} width={width} />
      <LaneTitles width={width} />
      {visible.map((st, i) => (
        <StepRow key={first + i} step={st} width={width} current={first + i === run.at - 1} />
      ))}
      <Text dimColor>{"─".repeat(Math.max(0, width - 1))}</Text>
      <Text color={color("cyan")}>{fit(" ▸ " + say, width * 2 - 2)}</Text>
      {xmlLines.length > 0 && (
        <Box flexDirection="column">
          <Text dimColor>{" raw XML of this step:"}</Text>
          {xmlLines.map((l, i) => (
            <Text key={i} color={color("gray")}>{fit("   " + l, width - 1)}</Text>
          ))}
        </Box>
      )}
      <Notebook events={end ? r.events : r.events.filter((e) => e.seq <= (current?.seq ?? -1))} width={width} />
      {end ? <VerdictBanner r={r} prediction={s.predictions[sc.id]} width={width} /> : <Text> </Text>}
      <Keys text={fit(`step ${run.at}/${run.steps.length}${s.autoplay ? ` ▶ auto ${s.speed}ms ±` : ""} · space/← step · a auto · x xml · r rerun · c compare · ? · q`, width - 2)} />
    </Box>
  );
}

export function Compare({ s, width }: { s: State; width: number }) {
  const rows = SCENARIOS.filter((x) => s.results[x.id]).map((x) => s.results[x.id]);
  const yes = (b: boolean) => (b ? "✘ yes" : "✔ no ");
  const predicted = s.predictMode || Object.keys(s.predictions).length > 0;
  // pass = mallory got the password, read = read a message, edit = rewrote one that bob received.
  return (
    <Box flexDirection="column" width={width}>
      <Text bold>{" Compare: what mallory got in each scenario run so far"}</Text>
      <Text> </Text>
      <Text bold>{fit(`   # ${"scenario".padEnd(30)} pass  read  edit  ${predicted ? "room " : ""}alice`, width - 1)}</Text>
      {rows.length === 0 && <Text dimColor>{"  (nothing run yet)"}</Text>}
      {rows.map((r) => (
        <Text key={r.scenario.id} color={r.outcome === "attack-succeeds" ? color("red") : color("green")}>
          {fit(
            `  ${String(r.scenario.n).padStart(2)} ${r.scenario.id.padEnd(30)} ${yes(r.loot.credentials.length > 0)} ${yes(r.loot.messagesRead.length > 0)} ${yes(r.loot.messagesTampered.length > 0)} ${predicted ? room(s, r) + "    " : ""}${r.defence ? "✋ " + r.defence.code : r.client.completed ? "✉ sent it" : "-"}`,
            width - 1,
          )}
        </Text>
      ))}
      <Text> </Text>
      <Keys text={s.filling ? `running the rest… ${s.filling} to go` : rows.length < SCENARIOS.length ? "a run all the others · q back · ? help" : "q back · ? help"} />
    </Box>
  );
}

/** Did the room predict this one right (predict mode)? A symbol, never colour alone. */
function room(s: State, r: NonNullable<State["run"]>["result"] & object): string {
  const p = s.predictions[r.scenario.id];
  return p ? (p === r.outcome ? "✔" : "✘") : "·";
}

export function Help({ width }: { width: number }) {
  const keys: Array<[string, string]> = [
    ["↑ ↓ / k j", "choose a scenario (home)"],
    ["enter", "run it (with --predict, ask the room first)"],
    ["space / →", "next step"],
    ["←", "previous step (replays the recorded trace)"],
    ["end / e", "jump to the verdict"],
    ["a", "autoplay on/off; + and - change its speed"],
    ["x", "raw XML of the current step"],
    ["r", "restart: run the scenario again, fresh"],
    ["n", "next scenario"],
    ["c", "compare: the verdicts of every scenario run so far (a there: run the rest)"],
    ["q / esc", "back; quit from home"],
    ["?", "this help"],
  ];
  return (
    <Box flexDirection="column" width={width}>
      <Text bold>{" Keys"}</Text>
      {keys.map(([k, v]) => (
        <Text key={k}>{fit(`  ${k.padEnd(12)} ${v}`, width - 1)}</Text>
      ))}
      <Text> </Text>
      <Text dimColor>{fit(" Every claim on screen comes from an event the nodes reported from their sockets.", width - 1)}</Text>
      <Keys text="q back" />
    </Box>
  );
}
