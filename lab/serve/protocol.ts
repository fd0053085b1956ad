/**
 * The /tty websocket, as documented in docs/classroom.md:
 * - server → client: binary frames, the terminal's raw output bytes.
 * - client → server: binary frames are keyboard bytes for the terminal. A text frame holding a
 *   JSON control message is obeyed; any other text frame is typed as UTF-8 (so a plain websocket
 *   client such as websocat can type too).
 * - control messages: {"type":"resize","cols":C,"rows":R}
 * - close codes: 1000 the lab ended, 4000 idle too long, 4001 the same student opened another
 *   session, 1013 the host is full, 1001 the server is stopping.
 */
export const CLOSE = {
  ended: 1000,
  stopping: 1001,
  full: 1013,
  idle: 4000,
  replaced: 4001,
} as const;

export interface Resize {
  type: "resize";
  cols: number;
  rows: number;
}

// Generous bounds: a projector at a tiny font, but nothing that would make the pty allocate silly buffers.
const MAX_COLS = 500;
const MAX_ROWS = 200;

export function clampSize(cols: unknown, rows: unknown): { cols: number; rows: number } | null {
  const c = Number(cols);
  const r = Number(rows);
  if (!Number.isInteger(c) || !Number.isInteger(r) || c < 2 || r < 2) return null;
  return { cols: Math.min(c, MAX_COLS), rows: Math.min(r, MAX_ROWS) };
}

/** A text frame: a control message, or null when it is keyboard input. */
export function parseControl(text: string): Resize | null {
  if (!text.startsWith("{")) return null;
  let msg: unknown;
  try {
    msg = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof msg !== "object" || msg === null || (msg as { type?: unknown }).type !== "resize") return null;
  const size = clampSize((msg as Resize).cols, (msg as Resize).rows);
  return size ? { type: "resize", ...size } : null;
}
