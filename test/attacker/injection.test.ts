import { parse } from "ltx";
import { describe, expect, it } from "vitest";
import { injectAfterStartTls, injectionPayload } from "../../attacker/injection.js";
import { decodePlain } from "../../lab/core/sasl/plain.js";
import { XmlStreamParser } from "../../lab/core/xml-stream.js";
import { HEADER } from "../helpers.js";

const STARTTLS = "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>";
const payload = injectionPayload({ domain: "lab.example", username: "alice", guess: "letmein" });

describe("inject-after-starttls (pure)", () => {
  const tactic = injectAfterStartTls(payload);
  const c2s = { dir: "c2s", context: "cleartext", stage: "pre-auth" } as const;

  it("forwards alice's <starttls/> unchanged and pipelines mallory's stream and login behind it", () => {
    const el = parse(STARTTLS) as any;
    const r = tactic(el, c2s);
    expect(r?.el).toBe(el);
    expect(r?.edits).toEqual([{ tactic: "inject-after-starttls", op: "appended", bytes: Buffer.byteLength(payload), what: "a stream header and a PLAIN login" }]);
    expect(r?.append).toBe(payload);
    expect(payload.startsWith("<?xml version='1.0'?><stream:stream ")).toBe(true);
  });

  it("leaves every other element alone: another namespace, another direction, another element", () => {
    expect(tactic(parse("<starttls xmlns='urn:example'/>") as any, c2s)).toBeNull();
    expect(tactic(parse(STARTTLS) as any, { ...c2s, dir: "s2c" })).toBeNull();
    expect(tactic(parse("<presence/>") as any, c2s)).toBeNull();
  });

  it("a server parser sees <starttls/>, then - if it keeps the rest - a stream header to lab.example and a PLAIN login for alice", () => {
    const seen: string[] = [];
    let held = "";
    const server = new XmlStreamParser({
      onStreamStart: () => seen.push("header"),
      onElement: (el) => {
        seen.push(el.name);
        if (el.name === "starttls") server.pause();
      },
      onStreamEnd: () => {},
      onError: (c) => seen.push("error " + c),
    });
    server.write(HEADER + STARTTLS + payload);
    held = server.heldAfterPause();
    expect(seen).toEqual(["header", "starttls"]);
    expect(server.leftover()).toBe("data");
    const after: Array<{ name: string; attrs: Record<string, string>; text: string }> = [];
    const fresh = new XmlStreamParser({
      onStreamStart: (attrs) => after.push({ name: "header", attrs, text: "" }),
      onElement: (el) => after.push({ name: el.name, attrs: el.attrs, text: el.getText() }),
      onStreamEnd: () => {},
      onError: (c) => after.push({ name: "error " + c, attrs: {}, text: "" }),
    });
    fresh.write(held);
    expect(after.map((a) => a.name)).toEqual(["header", "auth"]);
    expect(after[0].attrs.to).toBe("lab.example");
    expect(after[1].attrs.mechanism).toBe("PLAIN");
    expect(decodePlain(after[1].text)).toEqual({ authzid: "", username: "alice", password: "letmein" });
  });
});
