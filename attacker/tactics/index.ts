export { DEFAULT_STRIP_MECHANISMS, offerPlain, stripMechanisms, stripPlus, stripStartTls } from "./features.js";
export { customDef, parseTactics, registry, type RegistryOptions, type TacticDef, type TacticName, TACTICS } from "./registry.js";
export type { Edited, ElementTactic, Where } from "./shape.js";
export { IBAN_RULE, tamper, type TamperRule } from "./tamper.js";
export { CUSTOM, editsOf, HELPERS, type TacticFault, type TacticHelpers, userTactic, type UserTacticFn } from "./custom.js";
