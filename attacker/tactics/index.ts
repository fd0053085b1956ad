export { DEFAULT_STRIP_MECHANISMS, offerPlain, stripMechanisms, stripPlus, stripStartTls } from "./features.js";
export { parseTactics, registry, type RegistryOptions, type TacticDef, type TacticName, TACTICS } from "./registry.js";
export type { Edited, ElementTactic, Where } from "./shape.js";
export { IBAN_RULE, tamper, type TamperRule } from "./tamper.js";
