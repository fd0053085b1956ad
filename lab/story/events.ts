import type { LabEvent } from "../core/events.js";

/** Events about alice's path: everything except bob's own session and its server side. */
export function storyEvents(events: LabEvent[]): LabEvent[] {
  const bobConns = new Set(
    events.filter((e) => e.node === "server" && ((e.kind === "auth" && e.username === "bob") || (e.kind === "bound" && e.jid.startsWith("bob@")))).map((e) => e.conn),
  );
  return events.filter(
    (e) =>
      !(e.node === "bob" && e.kind !== "message") &&
      !(e.node === "server" && e.conn && bobConns.has(e.conn)),
  );
}
