/** Filled in by the tione issue. */
export {};
