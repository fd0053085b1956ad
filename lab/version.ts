/** The lab's version, as `mitm-lab --version` and the exercise report say it. */
export const VERSION = "0.1.0";
