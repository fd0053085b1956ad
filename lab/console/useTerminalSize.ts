import { useStdout } from "ink";
import { useEffect, useRef, useState } from "react";

/** Escape sequences: erase the screen and its scrollback, cursor to the top left. */
export const CLEAR = "\x1b[2J\x1b[3J\x1b[H";

export interface Size {
  columns: number;
  rows: number;
}

const read = (stdout: NodeJS.WriteStream): Size => ({ columns: stdout.columns || 80, rows: stdout.rows || 24 });

/**
 * The terminal's size, re-read on every resize so the frame is laid out again at once, not at
 * the next key. Mirroring a laptop to a projector resizes the terminal mid-scenario; the
 * terminal reflows what was drawn, and Ink, which erases its previous frame line by line, could
 * no longer find it: stale copies of the header stayed on screen. So a resize clears the screen
 * and the next frame is drawn whole on a clean one. That frame is always written: it is exactly
 * as tall as the terminal, and Ink repaints such a frame in full on every render (ink.js, the
 * `lastOutputHeight >= rows` branch), or, when the terminal grew taller, it has more lines than
 * the one before and so differs from it.
 */
export function useTerminalSize(): Size {
  const { stdout } = useStdout();
  const [size, setSize] = useState(() => read(stdout));
  const last = useRef(size);
  useEffect(() => {
    const onResize = () => {
      const next = read(stdout);
      if (next.columns === last.current.columns && next.rows === last.current.rows) return;
      last.current = next;
      if (stdout.isTTY) stdout.write(CLEAR);
      setSize(next);
    };
    stdout.on("resize", onResize);
    return () => void stdout.off("resize", onResize);
  }, [stdout]);
  return size;
}
