/** Filled in by the alaya issue. */
export {};
