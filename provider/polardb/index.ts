/** Filled in by the polardb issue. */
export {};
