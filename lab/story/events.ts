import type { LabEvent } from "../core/events.js";
import { notBobs } from "../witness/bob.js";

/** Events about alice's path: everything except bob's own session and its server side. */
export function storyEvents(events: LabEvent[]): LabEvent[] {
  const onPath = notBobs(events);
  return events.filter((e) => !(e.node === "bob" && e.kind !== "message") && onPath(e));
}
