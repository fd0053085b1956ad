import { propertyPart } from "./run-part.js";

propertyPart(3);
