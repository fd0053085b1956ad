import { Element } from "ltx";
import { NS } from "./ns.js";

/** `<?xml?>` + open tag, the way xmpp.js serialises a header (RFC 6120 §4.7, §11.5). */
export function headerXml(attrs: Record<string, string>): string {
  return "<?xml version='1.0'?>" + new Element("stream:stream", attrs).toString().slice(0, -2) + ">";
}

export function clientHeaderAttrs(domain: string, from?: string): Record<string, string> {
  const attrs: Record<string, string> = {
    to: domain,
    version: "1.0",
    "xml:lang": "en",
    xmlns: NS.client,
    "xmlns:stream": NS.stream,
  };
  // §4.7.1: a client may omit `from` before TLS so its JID does not leak; it adds it after.
  if (from) attrs.from = from;
  return attrs;
}

/** `<stream:error>` then `</stream:stream>`: stream errors are unrecoverable (§4.9.1.1). */
export function streamErrorXml(condition: string, text?: string): string {
  const err = new Element("stream:error");
  err.c(condition, { xmlns: NS.streams });
  if (text) err.c("text", { xmlns: NS.streams, "xml:lang": "en" }).t(text);
  return err.toString() + "</stream:stream>";
}

export const saslEl = (name: string, attrs: Record<string, string> = {}, text?: string) => {
  const el = new Element(name, { xmlns: NS.sasl, ...attrs });
  // §6.4.2: an empty initial response is sent as "=".
  if (text !== undefined) el.t(text === "" ? "=" : text);
  return el;
};

export const saslFailure = (condition: string, text?: string) => {
  const el = new Element("failure", { xmlns: NS.sasl });
  el.c(condition);
  if (text) el.c("text", { "xml:lang": "en" }).t(text);
  return el;
};

export function messageEl(to: string, body: string, id: string, from?: string): Element {
  const el = new Element("message", { to, type: "chat", id, ...(from ? { from } : {}) });
  el.c("body").t(body);
  return el;
}

export const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");

const utf8 = new TextDecoder("utf-8", { fatal: true });
/**
 * SASL data as the RFC has it (§6.4.2, §13.9.1): base64 of RFC 4648 §4 with padding, no
 * whitespace or line breaks, "=" for empty; and the text inside valid UTF-8. Null otherwise.
 */
export function strictBase64(s: string): string | null {
  if (s === "=") return "";
  if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) return null;
  try {
    return utf8.decode(Buffer.from(s, "base64"));
  } catch {
    return null;
  }
}
export const unb64 = (s: string) => Buffer.from(s.trim() === "=" ? "" : s.trim(), "base64").toString("utf8");

export function mechanismsOf(features: Element): string[] {
  const mechs = features.getChild("mechanisms", NS.sasl);
  return mechs ? mechs.getChildren("mechanism").map((m) => m.getText().trim()) : [];
}

export function channelBindingTypesOf(features: Element): string[] {
  const cb = features.getChild("sasl-channel-binding", NS.saslChannelBinding);
  return cb ? cb.getChildren("channel-binding").map((c) => c.attrs.type as string) : [];
}

/** A short label for narration: what this element is, in a few words. */
export function labelOf(el: Element): string {
  const ns = el.getNS();
  switch (el.name) {
    case "stream:features": {
      const parts: string[] = [];
      for (const c of el.children as Element[]) {
        if (typeof c === "string") continue;
        if (c.name === "starttls") parts.push(c.getChild("required") ? "starttls (required)" : "starttls");
        else if (c.name === "mechanisms") parts.push(...mechanismsOf(el));
        else if (c.name === "sasl-channel-binding") parts.push("cb:" + channelBindingTypesOf(el).join("/"));
        else parts.push(c.name);
      }
      return `features [${parts.join(", ")}]`;
    }
    case "stream:error": {
      const cond = (el.children as Element[]).find((c) => typeof c !== "string" && c.name !== "text");
      return `stream error <${cond?.name ?? "?"}/>`;
    }
    case "message": {
      const body = el.getChildText("body");
      return body !== null ? `message → ${bare(el.attrs.to)}: "${body}"` : "message";
    }
    case "iq": {
      // An error names its condition (RFC 6120 §8.3), not its <error/> wrapper.
      const error = el.attrs.type === "error" ? el.getChild("error") : undefined;
      const cond = (error?.children as Element[] | undefined)?.find((c) => typeof c !== "string" && c.name !== "text");
      if (error) return `iq error <${cond?.name ?? "?"}/>`;
      const child = (el.children as Element[]).find((c) => typeof c !== "string");
      return `iq ${el.attrs.type ?? ""} ${child?.name ?? ""}`.trim();
    }
  }
  if (ns === NS.sasl) {
    if (el.name === "auth") return `auth ${el.attrs.mechanism}`;
    if (el.name === "failure") {
      const cond = (el.children as Element[]).find((c) => typeof c !== "string" && c.name !== "text");
      return `SASL failure <${cond?.name ?? "?"}/>`;
    }
    return `SASL ${el.name}`;
  }
  if (ns === NS.tls) return `<${el.name}/>`;
  return el.name;
}

export function bare(jid: string | undefined): string {
  if (!jid) return "";
  const slash = jid.indexOf("/");
  return slash < 0 ? jid : jid.slice(0, slash);
}

export function localpart(jid: string): string {
  const at = jid.indexOf("@");
  return at < 0 ? "" : jid.slice(0, at);
}

export function domainpart(jid: string): string {
  const b = bare(jid);
  const at = b.indexOf("@");
  return at < 0 ? b : b.slice(at + 1);
}
