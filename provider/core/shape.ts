/**
 * Compile-time agreement between the places a resource's shape is written:
 * its Args interface (with the TSDoc users read), its zod schema, its field
 * table, and its output names. Each kind states the agreements once; adding
 * an argument or output in one place and not another is a type error that
 * names the key.
 */
import type { z } from "zod";
import type { StopField, WaitField } from "./defaults";
import type { FieldRule } from "./fields";
import type { HiddenInputs } from "./hidden";

/** `true` when `A` and `B` have exactly the same keys; otherwise a type that names the keys only one has. */
export type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never]
    ? true
    : { onlyInFirst: Exclude<keyof A, keyof B>; onlyInSecond: Exclude<keyof B, keyof A> };

/**
 * A field table that covers every argument of `Args` (plus `Derived`, the
 * inputs `check` adds) and nothing else. The wait settings of kinds that
 * run are not listed: the lifecycle adds them (`WAIT_FIELDS`, and `STOP_FIELDS` where the cloud
 * can stop a job).
 */
export type FieldTableFor<Args, Derived extends string = never> = { readonly [K in Exclude<keyof Args, WaitField | StopField> | Derived]-?: FieldRule };

/** The outputs a kind's `outputs` may report: only names the class declares. */
export type OutputsOf<Names extends string> = { [K in Names]?: unknown };

/** `true` when the schema accepts exactly the arguments of `Args` (besides the hidden inputs every class adds). */
export type SchemaMatchesArgs<S extends z.ZodType, Args> = SameKeys<Omit<z.input<S>, keyof HiddenInputs>, Args>;
