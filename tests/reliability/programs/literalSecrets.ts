// Secrets the mixed program writes as `pulumi.secret(<literal>)` (not from secret config), so
// the scans cover values whose only mark of secrecy is the program's wrapper. One declaration,
// read by the program and by the suites' ledgers.
export const LITERAL_SECRETS = {
    /** A hub token among a fine-tune's free-form hyper-parameters (echoed in effectiveHyperParameters). */
    fineTuneHubToken: "hf_literalHub7c3e9a1b5d",
    /** A token in a PolarDB task's running parameters. */
    polardbToken: "pdb_literalTok4f8a2c6e0b",
} as const;
