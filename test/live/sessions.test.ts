import { describe, expect, it } from "vitest";
import type { LabEvent } from "../../lab/core/events.js";
import { addEvents, emptyLog } from "../../lab/live/sessions.js";
import { listLines, stepsOf } from "../../lab/console/live/list.js";
import { sessionLines } from "../../lab/console/live/session.js";
import { initialLiveState } from "../../lab/console/live/state.js";
import { lineText } from "../../lab/console/lines.js";
import { liveHandout, liveHandoutName } from "../../lab/handout/live.js";

let seq = 0;
const ev = (body: Record<string, unknown>, conn?: string, node = "mallory") => ({ ...body, node, conn, seq: seq++, t: 0 }) as LabEvent;

describe("a standalone mallory's log as sessions", () => {
  it("splits by connection and by run (a log appended by two attacker processes), and says who and whether open", () => {
    seq = 0;
    const run1 = [
      ev({ kind: "listening", role: "strip-starttls,loot", address: "127.0.0.1", port: 6222 }),
      ev({ kind: "connected", peer: "127.0.0.1:4000", via: "tcp" }, "m1"),
      ev({ kind: "relay", dir: "c2s", context: "cleartext", label: "stream header", xml: "<?xml version='1.0'?><stream:stream to='lab.example' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>", edits: [], original: null }, "m1"),
      ev({ kind: "loot", loot: { type: "credential", mechanism: "PLAIN", username: "alice", password: "x" } }, "m1"),
      ev({ kind: "connected", peer: "127.0.0.1:4001", via: "tcp" }, "m2"),
      ev({ kind: "closed", reason: null }, "m1"),
    ];
    seq = 0; // a second process: its events start again at 0
    const run2 = [
      ev({ kind: "listening", role: "observe", address: "127.0.0.1", port: 6223 }),
      ev({ kind: "connected", peer: "127.0.0.1:5000", via: "tcp" }, "m1"),
      ev({ kind: "relay", dir: "s2c", context: "cleartext", label: "iq result bind", xml: "<iq type='result' id='b'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><jid>carol@lab.example/phone</jid></bind></iq>", edits: [], original: null }, "m1"),
      ev({ kind: "stanza", dir: "in", label: "x", xml: "", secure: false }, "c1", "server"),
    ];
    const first = addEvents(emptyLog(), run1);
    const log = addEvents(first, run2);
    expect(log.listeners).toEqual([
      { run: 1, address: "127.0.0.1", port: 6222, tactics: "strip-starttls,loot" },
      { run: 2, address: "127.0.0.1", port: 6223, tactics: "observe" },
    ]);
    expect(log.sessions.map((s) => [s.key, s.peer, s.account, s.domain, s.open])).toEqual([
      ["1:m1", "127.0.0.1:4000", "alice@lab.example", "lab.example", false],
      ["1:m2", "127.0.0.1:4001", null, null, true],
      ["2:m1", "127.0.0.1:5000", "carol@lab.example", null, true],
    ]);
    expect(log.others).toBe(1);
    // A batch leaves the sessions it does not touch as they were.
    expect(log.sessions[0]).toBe(first.sessions[0]);
    // On screen, at 80 columns, a session is named with its run wherever two runs share a name.
    const src = { kind: "watch", file: "mallory.jsonl", listen: null, upstream: null } as const;
    const state = { ...initialLiveState(), log, selected: 2, view: { key: "2:m1", at: 1, following: false } };
    const list = listLines(state, src, 80, 24).map(lineText);
    expect(list.find((l) => l.includes("2:m1"))).toMatch(/^ ▸ 3 {2}2:m1 {2}● open/);
    const head = lineText(sessionLines(state, log.sessions[2], stepsOf(log.sessions[2]), src, 80, 24).lines[0]);
    expect(head).toMatch(/^ live · 2:m1 ● open · carol@lab\.example/);
    // Its handout is named the same way, file and title.
    const when = new Date("2026-11-28T10:20:30Z");
    expect(liveHandoutName(log.sessions[2], when)).toBe("live-2-m1-20261128-102030.md");
    expect(liveHandout(log.sessions[2], stepsOf(log.sessions[2]), src, log.listeners[1], when)).toMatch(/^# A live session through mallory: 2:m1 from 127\.0\.0\.1:5000$/m);
  });
});
