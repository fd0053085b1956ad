/**
 * The story of a run (see types.ts): `buildStory(trace)` turns a trace (scenario, events, witness) into the
 * steps every renderer shows - the console's sequence diagram, the plain narrator, exports.
 * Pure: no I/O, no clock, no terminal; the same trace always gives the same steps.
 */
export { buildMalloryStory, buildStory } from "./build.js";
export { explainStep, stepWords } from "./explain.js";
export { storyEvents } from "./events.js";
export { ctMonitorPanel, panelText } from "./ct.js";
export type { Actor, Arrow, Crossing, Element, Handshake, Local, Panel, Step, XmlSection } from "./types.js";
