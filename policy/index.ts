/**
 * The policy-pack entry: `pulumi up --policy-pack policy` runs this file.
 *
 * It only constructs the pack. Everything else lives in plain modules (`pack.ts` and the policy
 * modules) that can be imported, tested and reused without starting an analyzer server.
 *
 * @module
 */

import { PolicyPack } from "@pulumi/policy";
import { TRAINING_GUARD_PACK_NAME, trainingGuardPackArgs } from "./pack";

new PolicyPack(TRAINING_GUARD_PACK_NAME, trainingGuardPackArgs());
