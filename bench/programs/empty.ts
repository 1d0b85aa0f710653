// A Pulumi program that declares nothing: what one run of the engine harness costs by itself.
export const ok = true;
