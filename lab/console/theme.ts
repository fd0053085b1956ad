/** Colours are a second channel only: every meaning also has a symbol. NO_COLOR turns them off. */
const on = () => !process.env.NO_COLOR;
export const color = (c: string): string | undefined => (on() ? c : undefined);
export const TONE: Record<string, string | undefined> = {
  get plain() { return undefined; },
  get attack() { return color("yellow"); },
  get defence() { return color("green"); },
  get sealed() { return color("cyan"); },
  get note() { return color("gray"); },
};
/** Truncate to a width, with an ellipsis. */
export function fit(text: string, width: number): string {
  if (width <= 1) return "";
  return text.length <= width ? text : text.slice(0, width - 1) + "…";
}
