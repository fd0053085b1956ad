import type { LabEvent } from "../../lab/core/events.js";
import { BUNDLED_WORDLIST } from "../../lab/crack/wordlist.js";
import type { RunResult } from "../../lab/runner.js";
import type { Fact } from "../../scenarios/facts.js";

/**
 * An independent checker for the property test: it re-establishes each narration fact and the
 * verdict from the raw trace and the tapped bytes with its own code - string and byte searches,
 * not the lab's witness or its fact locator - so a wrong predicate there cannot vouch for itself.
 */

type Ev<K extends LabEvent["kind"]> = Extract<LabEvent, { kind: K }>;

export interface Truth {
  password: string;
  /** The server's own certificate pin (the one alice pins). */
  serverPin: string;
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export class Checker {
  private readonly ev: readonly LabEvent[];
  private readonly of = <K extends LabEvent["kind"]>(node: string, kind: K) => this.ev.filter((e): e is LabEvent & Ev<K> => e.node === node && e.kind === kind);
  /** The server's events on connections bob did not use. */
  private readonly server: LabEvent[];
  readonly aliceRandoms: string[];
  readonly serverRandoms: Set<string>;

  constructor(readonly r: RunResult, readonly truth: Truth) {
    this.ev = r.events;
    // bob's: logged in as bob, or accepted before mallory was up (the runner starts bob first),
    // which is the only way to know a connection whose login failed before a name was read.
    const firstMallory = this.ev.findIndex((e) => e.node === "mallory");
    const bob = new Set(this.ev.flatMap((e, i) => (e.node === "server" && ((e.kind === "auth" && e.username === "bob") || (e.kind === "connected" && i < firstMallory)) ? [e.conn] : [])));
    this.server = this.ev.filter((e) => e.node === "server" && !bob.has(e.conn));
    this.aliceRandoms = this.of("alice", "tls").map((e) => e.clientRandom ?? "");
    this.serverRandoms = new Set(this.server.flatMap((e) => (e.kind === "tls" && e.clientRandom ? [e.clientRandom] : [])));
  }

  /** Raw bytes of one leg, every connection, one direction, as text (latin1: bytes stay bytes). */
  private leg(leg: string, dir: "c2s" | "s2c"): string[] {
    return this.r.taps.filter((t) => t.leg === leg).flatMap((t) => t.connections.map((c) => Buffer.concat(c[dir]).toString("latin1")));
  }

  /** The part of a tapped direction before TLS began (a 0x16 0x03 record header). */
  private clear(text: string): string {
    const i = text.indexOf("\x16\x03");
    return i < 0 ? text : text.slice(0, i);
  }

  /** alice's secure stanzas sent inside a TLS session the server never had. */
  private sentInsideTerminated(): Array<Ev<"stanza">> {
    const out: Array<Ev<"stanza">> = [];
    let terminated = false;
    for (const e of this.ev) {
      if (e.node !== "alice") continue;
      if (e.kind === "connected") terminated = false;
      if (e.kind === "tls") terminated = !e.clientRandom || !this.serverRandoms.has(e.clientRandom);
      if (e.kind === "stanza" && e.dir === "out" && e.secure && terminated) out.push(e);
    }
    return out;
  }

  private plainB64(): string[] {
    const u = Buffer.from(`\0alice\0${this.truth.password}`).toString("base64");
    return [u];
  }

  passwordExposed(how?: "cleartext" | "terminated-tls", mechanism = "PLAIN"): boolean {
    if (mechanism !== "PLAIN") return false;
    const b64 = this.plainB64();
    const clear = [...this.leg("alice-mallory", "c2s"), ...this.leg("mallory-server", "c2s")].map((t) => this.clear(t));
    const inClear = clear.some((t) => b64.some((b) => t.includes(b)));
    const inside = this.sentInsideTerminated().some((e) => b64.some((b) => e.xml.includes(b)));
    return how === "cleartext" ? inClear : how === "terminated-tls" ? inside : inClear || inside;
  }

  scramExposed(how?: "cleartext" | "terminated-tls"): boolean {
    const scram = /mechanism=["']SCRAM-/;
    const response = /<response[^>]*xmlns=["']urn:ietf:params:xml:ns:xmpp-sasl["']/;
    const inClear = [...this.leg("alice-mallory", "c2s"), ...this.leg("mallory-server", "c2s")].map((t) => this.clear(t)).some((t) => scram.test(t) && response.test(t));
    const inside = this.sentInsideTerminated();
    const insideScram = inside.some((e) => scram.test(e.xml)) && inside.some((e) => e.label === "SASL response");
    return how === "cleartext" ? inClear : how === "terminated-tls" ? insideScram : inClear || insideScram;
  }

  scramCrackable(): boolean {
    return BUNDLED_WORDLIST.includes(this.truth.password);
  }

  sentBodies(): string[] {
    return this.of("alice", "message").filter((e) => e.what === "sent").map((e) => e.body);
  }

  messageRead(how?: "cleartext" | "terminated-tls"): boolean {
    const bodies = this.sentBodies();
    const clear = [...this.leg("alice-mallory", "c2s"), ...this.leg("mallory-server", "c2s")].map((t) => this.clear(t));
    const inClear = bodies.some((b) => clear.some((t) => t.includes(esc(b)) || t.includes(b)));
    const inside = bodies.some((b) => this.sentInsideTerminated().some((e) => e.label.startsWith("message") && e.xml.includes(esc(b))));
    return how === "cleartext" ? inClear : how === "terminated-tls" ? inside : inClear || inside;
  }

  messageAltered(): boolean {
    const sent = new Set(this.sentBodies());
    const bobThere = this.of("bob", "bound").length > 0;
    const got = bobThere
      ? this.of("bob", "message").filter((e) => e.what === "received" && e.from.startsWith("alice@")).map((e) => e.body)
      : this.server.flatMap((e) => (e.kind === "message" && e.what === "routed" && e.from.startsWith("alice@") ? [e.body] : []));
    return got.some((b) => !sent.has(b));
  }

  loginRelayed(): boolean {
    const alice = new Set(this.aliceRandoms);
    return this.server.some((e) => {
      if (e.kind !== "auth" || !e.ok || e.username !== "alice") return false;
      const tls = this.server.find((x) => x.kind === "tls" && x.conn === e.conn) as Ev<"tls"> | undefined;
      return !tls || !alice.has(tls.clientRandom ?? "");
    });
  }

  injected(): boolean {
    return this.server.some((e) => e.kind === "decision" && e.decision.type === "processes-cleartext-as-tls" && e.decision.read.length > 0);
  }

  /** The verdict's rule, from this checker's own evidence. */
  attackSucceeds(): boolean {
    return this.passwordExposed() || (this.scramExposed() && this.scramCrackable()) || this.messageRead() || this.messageAltered() || this.loginRelayed() || this.injected();
  }

  private features(node: string, dir: "in" | "out"): string[] {
    const src = node === "server" ? this.server : this.ev.filter((e) => e.node === node);
    return src.flatMap((e) => (e.kind === "stanza" && e.dir === dir && e.xml.includes("stream:features") ? [e.xml] : []));
  }

  /** Does a narration fact hold in this run? */
  holds(f: Fact): boolean {
    switch (f.fact) {
      case "edit": {
        // The edit is mallory's claim; the checker looks for its effect at the endpoints.
        const serverF = this.features("server", "out");
        const aliceF = this.features("alice", "in");
        const relayed = this.ev.some((e) => e.node === "mallory" && e.kind === "relay" && e.edits.some((x) => x.op === f.op) && (!f.dir || e.dir === f.dir) && (!f.context || e.context === f.context));
        if (!relayed) return false;
        switch (f.op) {
          case "removed-starttls":
            return serverF.some((x) => x.includes("<starttls")) && aliceF.some((x) => !x.includes("<starttls"));
          case "removed-mechanisms":
            return serverF.some((x) => /<mechanism>SCRAM-/.test(x)) && aliceF.some((x) => !/<mechanism>SCRAM-/.test(x));
          case "removed-channel-binding":
            return serverF.some((x) => x.includes("sasl-channel-binding")) && aliceF.some((x) => !x.includes("sasl-channel-binding"));
          case "rewrote-body":
            return this.messageAltered() || this.server.some((e) => e.kind === "message" && e.what === "routed" && !this.sentBodies().includes(e.body));
          case "appended":
            return this.leg("mallory-server", "c2s").some((t) => /<starttls[^>]*\/>\s*<\?xml|<starttls[^>]*\/><stream:stream/.test(t));
          default:
            return true;
        }
      }
      case "move":
        return this.moveHolds(f.move);
      case "decision":
        return this.ev.some((e) => {
          if (e.node !== (f.node ?? "alice") || e.kind !== "decision" || e.decision.type !== f.decision) return false;
          const d = e.decision;
          if (d.type === "channel-binding") return !f.binding || d.binding === f.binding;
          if (d.type !== "mechanism") return true;
          if (f.chosen && !(d.chosen === f.chosen || (f.chosen.endsWith("-") && d.chosen.startsWith(f.chosen)))) return false;
          if (f.secure !== undefined && d.secure !== f.secure) return false;
          if (f.notOffered && d.offered.includes(f.notOffered)) return false;
          if (f.belowPreference !== undefined && d.preference.indexOf(d.chosen) > 0 !== f.belowPreference) return false;
          return true;
        });
      case "error":
        return (f.node ?? "alice") === "alice" ? this.r.client.error?.code === f.code && (!f.detail || this.of("alice", "error").some((e) => e.detail === f.detail)) : this.ev.some((e) => e.node === f.node && e.kind === "error" && e.code === f.code);
      case "stanza":
        return (f.node === "server" ? this.server : this.ev.filter((e) => e.node === (f.node ?? "alice"))).some((e) => e.kind === "stanza" && e.dir === f.dir && e.label === f.label);
      case "tls":
        return this.of("alice", "tls").some((e) => {
          const reached = !!e.clientRandom && this.serverRandoms.has(e.clientRandom);
          const after = this.ev.some((x) => x.node === "alice" && x.kind === "stanza" && x.dir === "out" && x.secure && x.seq > e.seq);
          const c = e.peerCert;
          return (f.how === undefined || e.how === f.how)
            && (f.verify === undefined || e.verify === f.verify)
            && (f.pinMatched === undefined || (c?.pin === this.truth.serverPin) === f.pinMatched)
            && (f.authorized === undefined || e.authorized === f.authorized)
            && (f.selfSigned === undefined || (c?.subject === c?.issuer) === f.selfSigned)
            && (f.subject === undefined || c?.subject === f.subject)
            && (f.issuer === undefined || c?.issuer === f.issuer)
            && (f.reachedServer === undefined || reached === f.reachedServer)
            && (f.serverKey === undefined || (c?.pin === this.truth.serverPin) === f.serverKey)
            && (f.accepted === undefined || after === f.accepted);
        });
      case "ct-logged": {
        // The log as the runner reported it; alice's certificate and the server's pin from the truth.
        const pins = new Set(this.ev.flatMap((e) => (e.kind === "ct-log" ? e.entries.map((x) => x.pin) : [])));
        return this.of("alice", "tls").some((e) => !!e.peerCert && pins.has(e.peerCert.pin) && (f.serverKey === undefined || (e.peerCert.pin === this.truth.serverPin) === f.serverKey));
      }
      case "scram-flag":
        // Read off the wire: the first SCRAM <auth/> alice sent, its base64 decoded by hand here.
        return this.of("alice", "stanza").some((e) => {
          if (e.dir !== "out" || !/mechanism=["']SCRAM-/.test(e.xml)) return false;
          const b64 = e.xml.slice(e.xml.indexOf(">") + 1, e.xml.lastIndexOf("<"));
          return Buffer.from(b64, "base64").toString("latin1").startsWith(f.flag === "p" ? "p=" : `${f.flag},`);
        });
      case "auth":
        return this.server.some((e) => e.kind === "auth" && e.ok === f.ok && (!f.reason || e.reason === f.reason) && (e.username === "alice" || e.username === "?"));
      case "loot":
        return this.ev.some((e) => e.node === "mallory" && e.kind === "loot" && e.loot.type === f.type && this.lootTrue(e.loot));
      case "sealed":
        return this.ev.some((e) => e.node === "mallory" && e.kind === "sealed") && this.aliceRandoms.some((x) => this.serverRandoms.has(x));
      case "password-exposed":
        return this.passwordExposed(f.how, f.mechanism);
      case "scram-exposed":
        return this.scramExposed(f.how) && (f.cracked === undefined || this.scramCrackable() === f.cracked);
      case "message-read":
        return this.messageRead(f.how);
      case "message-altered":
        return this.messageAltered();
      case "login-relayed":
        return this.loginRelayed();
      case "no-password-exposed":
        return !this.passwordExposed() && !(this.scramExposed() && this.scramCrackable());
      case "no-message-sent":
        return this.sentBodies().length === 0;
      case "no-login-relayed":
        return !this.loginRelayed();
      case "nothing-exposed":
        return !this.passwordExposed() && !this.scramExposed() && !this.messageRead();
    }
  }

  private lootTrue(l: Extract<LabEvent, { kind: "loot" }>["loot"]): boolean {
    if (l.type === "credential") return l.password === this.truth.password;
    if (l.type === "message-read") return this.sentBodies().includes(l.body) || this.of("alice", "message").some((e) => e.body === l.body);
    if (l.type === "message-tampered") return this.sentBodies().includes(l.sent);
    return l.username === "alice";
  }

  private moveHolds(type: string): boolean {
    const made = this.ev.some((e) => e.node === "mallory" && e.kind === "move" && e.move.type === type);
    if (!made) return false;
    switch (type) {
      case "blocked":
        return this.of("alice", "decision").some((e) => e.decision.type === "fallback") || !!this.r.client.error;
      case "tls-answered":
        return this.of("alice", "tls").some((e) => e.peerCert?.pin !== this.truth.serverPin || !this.serverRandoms.has(e.clientRandom ?? "")) || !!this.r.client.error;
      case "client-sent-through-tls":
        return this.sentInsideTerminated().length > 0;
      case "starttls-refused":
        return this.ev.some((e) => e.node === "alice" && e.kind === "stanza" && e.dir === "in" && e.xml.includes("<failure") && e.xml.includes("xmpp-tls"));
      case "upstream-starttls-done":
        return this.server.some((e) => e.kind === "tls" && e.how === "starttls" && !this.aliceRandoms.includes(e.clientRandom ?? ""));
      case "bit-flipped":
        return this.r.client.error?.code === "TLS_INTEGRITY" || this.server.some((e) => e.kind === "closed" && /bad record mac|decrypt/i.test(e.reason ?? ""));
      case "offline-guess":
        return this.ev.some((e) => e.node === "mallory" && e.kind === "move" && e.move.type === "offline-guess" && (e.move.password === null || e.move.password === this.truth.password));
      default:
        return true;
    }
  }
}
