/**
 * The acts, as data: the menu, `mitm-lab list`, the docs and the console group scenarios by
 * them. A scenario names its act; the catalogue's order (index.ts) keeps each act together.
 * `session`: which 45-minute session of the instructor guide tells it (docs/instructor-guide.md).
 */
export interface Act {
  n: number;
  /** "Act I", for the banner. */
  label: string;
  title: string;
  session: 1 | 2;
}

export const ACT_LIST: readonly Act[] = [
  { n: 1, label: "Act I", title: "cleartext and opportunistic STARTTLS", session: 1 },
  { n: 2, label: "Act II", title: "TLS without authentication", session: 1 },
  { n: 3, label: "Act III", title: "who can still break pinned TLS, and what stops them", session: 1 },
  { n: 4, label: "Act IV", title: "more lessons from the real world: cracking, injection, names, fallbacks", session: 2 },
  { n: 5, label: "Act V", title: "after the break: what stops a stolen key, what doesn't", session: 2 },
];

/** "Act I - cleartext and opportunistic STARTTLS", by act number. */
export const ACTS: Record<number, string> = Object.fromEntries(ACT_LIST.map((a) => [a.n, `${a.label} - ${a.title}`]));

/** The act numbers in order, for anything that lists acts. */
export const ACT_NUMBERS: readonly number[] = ACT_LIST.map((a) => a.n);
