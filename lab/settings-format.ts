import type { SettingValue } from "../scenarios/types.js";

/**
 * A setting's value as --set takes it (a list comma-separated). Apart from settings.ts so that
 * what only shows settings (the console's verdict, its ⚙ line) does not load the schema, and
 * with it the tactic registry, before the console's first frame.
 */
export function formatValue(v: SettingValue): string {
  return Array.isArray(v) ? v.join(",") : String(v);
}
