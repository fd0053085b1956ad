/** Filled in with the console: first-frame time of `mitm-lab` vs a bundled Ink hello world. */
export async function startupTimes(): Promise<{ consoleMs: number; helloMs: number; ratio: number } | null> {
  return null;
}
