export { checkClaims, type Claim } from "./claims.js";
export { type LegTap, legTap, type Leg, type TapConnection } from "./taps.js";
export { type AliceSession, type How, judgeWitness, type MessageExposure, type PasswordExposure, type RelayedLogin, type ScramExposure, type Truth, type Witness } from "./witness.js";
