/**
 * Colours are a second channel only: every meaning also has a symbol, and NO_COLOR
 * (no-color.org) turns them all off. The defaults are chosen for a projector: the standard
 * colours that stay legible on dark and light backgrounds (no yellow, no grey, no blue, nothing
 * dim for text the room must read), and one colour per lane, so alice's and the server's differ.
 */
const on = () => !process.env.NO_COLOR;
export const color = (c: string): string | undefined => (on() ? c : undefined);

export type Lane = "alice" | "mallory" | "server";

export const LANE_COLOR: Record<Lane, () => string | undefined> = {
  alice: () => color("cyan"),
  mallory: () => color("magenta"),
  server: () => color("green"),
};

/** The verdict: red when mallory won, green when alice was safe (and ✘ / ✔ say it too). */
export const won = () => color("red");
export const safe = () => color("green");
