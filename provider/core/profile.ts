/**
 * The `profile` input every resource has: which set of credentials (and
 * endpoint, region, workspace) its client uses, so one stack can use several
 * accounts (core/config.ts `profiled`). The name selects settings; the
 * credentials themselves never enter inputs or state.
 */
import { z } from "zod";
import { PROFILE_RE } from "./config";

/** The schema of `profile`. */
export const profileSchema = z
    .string()
    .regex(PROFILE_RE, "must be a profile name: lower-case letters, digits and '-', starting with a letter, at most 32 characters")
    .optional();
