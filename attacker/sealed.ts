import type net from "node:net";
import type { Direction, LabEventBody } from "../lab/core/events.js";
import { CONTENT_TYPE, RecordScanner } from "./records.js";

/** Bytes mallory lets queue toward a slow receiver before it stops reading the sender. */
export const RELAY_WINDOW = 1024 * 1024;

export interface SealedHooks {
  emit(body: LabEventBody): void;
  /** flip-bytes: corrupt one bit of the client's second application-data record (its first data in TLS 1.3). */
  flip: boolean;
}

/**
 * The relay for bytes mallory cannot read: it forwards TLS records as they come and reports
 * only what it can see of them - their count and sizes (RFC 8446 §5.1 framing).
 */
export function sealedRelay(client: net.Socket, server: net.Socket, hooks: SealedHooks, firstFromClient: Buffer | null): void {
  const relay = (from: net.Socket, to: net.Socket, dir: Direction) => {
    const scanner = new RecordScanner();
    from.removeAllListeners("data");
    const onChunk = (chunk: Buffer) => {
      const { records } = scanner.scan(chunk, (type, index, length) => {
        // TLS 1.3 (RFC 8446 §5.2): the client's 1st application_data record is its encrypted
        // Finished, the 2nd its first data - the stream header.
        if (hooks.flip && dir === "c2s" && type === 23 && index === 2) {
          hooks.emit({ kind: "move", tactic: "flip-bytes", move: { type: "bit-flipped", record: CONTENT_TYPE[type], index, length } });
          return Math.min(length - 1, 8);
        }
        return null;
      });
      hooks.emit({ kind: "sealed", dir, bytes: chunk.length, records });
      // Backpressure, with room: a fast sender must not fill mallory's memory, but pausing at
      // the socket's 16 KiB high-water mark made the extra hop latency-bound (bench/).
      to.write(chunk);
      if (to.writableLength > RELAY_WINDOW && !from.isPaused()) {
        from.pause();
        to.once("drain", () => from.resume());
      }
    };
    from.on("data", onChunk);
    from.resume();
    return onChunk;
  };
  const c2s = relay(client, server, "c2s");
  relay(server, client, "s2c");
  if (firstFromClient) c2s(firstFromClient);
}
