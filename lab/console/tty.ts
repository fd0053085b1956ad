/**
 * Ink draws nothing while it believes it runs in CI (is-in-ci, read once when Ink loads): it
 * keeps the frames for the end. A console asked for in a real terminal must draw there even
 * when CI is set - a dev container, a CI job driving tmux, a browser pty on a server that
 * exports CI. So, in a terminal, the CI markers are turned off before Ink is loaded.
 * Import this before any module that imports Ink, and call it before loading one.
 */
export function drawInThisTerminal(): void {
  if (!(process.stdout.isTTY && process.stdin.isTTY)) return;
  for (const k of ["CI", "CONTINUOUS_INTEGRATION"]) if (process.env[k] !== undefined) process.env[k] = "0";
}
