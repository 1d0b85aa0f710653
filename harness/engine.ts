import { CheckpointFile, Checkpoint, ResourceState } from "./checkpoint";
import { DynamicProviderHost, InitFailedError } from "./host";
import { Props, UNKNOWN, annotateSecrets, deepEqual, markSecretOutputs, unwrapSecrets } from "./values";

/** One step the engine took, in order, as `pulumi up` would display it. */
export interface Step {
    op: "create" | "same" | "update" | "replace" | "create-replacement" | "delete-replaced" | "delete" | "read" | "refresh" | "discard";
    urn: string;
    /** Set for preview steps. */
    preview?: boolean;
    /** Input keys that changed (update/replace). */
    keys?: string[];
}

/** A resource the program registered. */
export interface Registration {
    type: string;
    name: string;
    parentUrn?: string;
    props: Props;
    ignoreChanges: string[];
    replaceOnChanges: string[];
    additionalSecretOutputs: string[];
    deleteBeforeReplace?: boolean;
    importId?: string;
}

/** What a policy analyzer said about a resource before it was created. */
export interface PolicyDiagnostic {
    policyName: string;
    message: string;
    enforcementLevel: "advisory" | "mandatory" | "disabled" | "remediate";
    urn?: string;
}

/** Called on each registered resource after Check, before any create/update (policy packs in the loop). */
export type Analyze = (r: { urn: string; type: string; name: string; props: Props }) => Promise<PolicyDiagnostic[]>;

const DYNAMIC = /^pulumi-nodejs:dynamic(\/[^:]+)?:/;

/**
 * The engine's step logic for dynamic resources, ported from
 * step_generator.go as reference/pulumi-dynamic.md §4 lists it: check, diff,
 * same/update/replace (create-before-delete unless deleteBeforeReplace),
 * legacy diff on DIFF_UNKNOWN, replaceOnChanges, init errors forcing an
 * update, preview running only Check and Diff, deletes after the program in
 * reverse order, secrets re-annotated, and a checkpoint after every step.
 */
export class Deployment {
    readonly steps: Step[] = [];
    readonly errors: string[] = [];
    readonly policyDiagnostics: PolicyDiagnostic[] = [];
    private readonly old: Map<string, ResourceState>;
    private readonly state: Checkpoint;
    private readonly registered = new Set<string>();
    private readonly pendingReplacedDeletes: ResourceState[] = [];
    private readonly types = new Map<string, string>();

    constructor(
        private readonly host: DynamicProviderHost,
        private readonly file: CheckpointFile,
        private readonly ids: { project: string; stack: string },
        private readonly dryRun: boolean,
        private readonly analyze?: Analyze,
    ) {
        this.state = file.load();
        this.old = new Map(this.state.resources.map((r) => [r.urn, r]));
    }

    get stackUrn(): string {
        return `urn:pulumi:${this.ids.stack}::${this.ids.project}::pulumi:pulumi:Stack::${this.ids.project}-${this.ids.stack}`;
    }

    urnFor(type: string, name: string, parentUrn?: string): string {
        const parentType = parentUrn && parentUrn !== this.stackUrn ? this.types.get(parentUrn) : undefined;
        const qualified = parentType ? `${parentType}$${type}` : type;
        return `urn:pulumi:${this.ids.stack}::${this.ids.project}::${qualified}::${name}`;
    }

    isDynamic(type: string): boolean {
        return DYNAMIC.test(type);
    }

    /** RegisterResource for a dynamic custom resource. Returns the id and outputs the program sees. */
    async register(r: Registration): Promise<{ urn: string; id: string; outputs: Props }> {
        const urn = this.urnFor(r.type, r.name, r.parentUrn);
        if (this.registered.has(urn)) throw new Error(`Duplicate resource URN '${urn}'; try giving it a unique name`);
        this.registered.add(urn);
        this.types.set(urn, r.type);
        if (r.importId) throw new Error(`${urn}: the import resource option cannot work for dynamic resources (pulumi/pulumi#16175); adopt it with the class's static get() instead`);

        const prior = this.old.get(urn);
        const programInputs = { ...r.props };
        for (const k of r.ignoreChanges) if (prior && k in prior.inputs) programInputs[k] = prior.inputs[k];

        const checked = await this.host.check(urn, prior ? unwrapSecrets(prior.inputs) : {}, unwrapSecrets(programInputs));
        if (checked.failures.length) {
            const msg = checked.failures.map((f) => `${f.property}: ${f.reason}`).join("; ");
            throw this.fail(urn, `${r.type} resource '${r.name}' has a problem: ${msg}`);
        }
        // Persisted inputs keep the program's secret markers.
        const inputs = annotateSecrets(checked.inputs, programInputs);
        if (this.analyze) await this.runPolicies(urn, r, inputs);

        if (!prior) return this.create(urn, r, inputs, programInputs);

        const diff = await this.host.diff(urn, prior.id, unwrapSecrets(prior.outputs), unwrapSecrets(inputs), unwrapSecrets(prior.inputs), r.ignoreChanges);
        let changedKeys: string[];
        let replaces = [...diff.replaces];
        if (diff.changes === 0) {
            changedKeys = legacyDiff(prior.inputs, inputs);
        } else {
            changedKeys = diff.changes === 2 ? legacyDiff(prior.inputs, inputs).concat(diff.replaces) : [];
        }
        const hasChanges = diff.changes === 2 || (diff.changes === 0 && changedKeys.length > 0);
        for (const k of changedKeys) if (r.replaceOnChanges.includes(k) || r.replaceOnChanges.includes("*")) replaces.push(k);
        replaces = [...new Set(replaces)];

        if (hasChanges && replaces.length) return this.replace(urn, r, prior, inputs, programInputs, replaces, diff.deleteBeforeReplace || !!r.deleteBeforeReplace);
        if (hasChanges || prior.initErrors?.length) return this.update(urn, r, prior, inputs, programInputs, [...new Set(changedKeys)]);

        this.steps.push({ op: "same", urn, preview: this.dryRun || undefined });
        if (!this.dryRun) this.persist({ ...prior, inputs });
        return { urn, id: prior.id, outputs: prior.outputs };
    }

    /** ReadResource (`get` / `opts.id`). */
    async read(type: string, name: string, id: string, props: Props, parentUrn?: string): Promise<{ urn: string; outputs: Props }> {
        const urn = this.urnFor(type, name, parentUrn);
        this.registered.add(urn);
        this.types.set(urn, type);
        const res = await this.host.read(urn, id, unwrapSecrets(props), unwrapSecrets(props));
        if (!res.id) throw this.fail(urn, `reading ${type} '${name}' (${id}): resource does not exist`);
        const outputs = annotateSecrets(res.outputs, props);
        this.steps.push({ op: "read", urn, preview: this.dryRun || undefined });
        if (!this.dryRun) this.persist({ urn, type, name, id: res.id, inputs: res.inputs ?? props, outputs, external: true });
        return { urn, outputs };
    }

    /** After the program: replaced resources, then resources no longer in the program, in reverse order. */
    async finish(): Promise<void> {
        for (const r of [...this.pendingReplacedDeletes].reverse()) {
            this.steps.push({ op: "delete-replaced", urn: r.urn, preview: this.dryRun || undefined });
            if (!this.dryRun) await this.host.delete(r.urn, r.id, unwrapSecrets(r.outputs), unwrapSecrets(r.inputs));
        }
        const gone = this.state.resources.filter((r) => !this.registered.has(r.urn));
        for (const r of gone.reverse()) await this.deleteOne(r);
    }

    /**
     * `pulumi refresh`: Read every resource; an empty id drops it. A failed read is recorded as that
     * resource's error and the others are still read, as the engine does; the refresh then fails.
     */
    async refresh(): Promise<void> {
        for (const r of [...this.state.resources]) {
            let res: Awaited<ReturnType<DynamicProviderHost["read"]>>;
            try {
                res = await this.host.read(r.urn, r.id, unwrapSecrets(r.outputs), unwrapSecrets(r.inputs));
            } catch (e) {
                this.fail(r.urn, `refreshing ${r.urn}: ${(e as Error).message}`);
                continue;
            }
            if (!res.id) {
                this.steps.push({ op: "discard", urn: r.urn });
                if (!this.dryRun) this.drop(r.urn);
                continue;
            }
            // As the engine's refresh step: secret where the old outputs were, and the resource's additionalSecretOutputs.
            const outputs = markSecretOutputs(annotateSecrets(res.outputs, r.outputs), r.additionalSecretOutputs ?? []);
            const inputs = res.inputs ? annotateSecrets(res.inputs, r.inputs) : r.inputs;
            const changed = !deepEqual(unwrapSecrets(outputs), unwrapSecrets(r.outputs)) || !deepEqual(unwrapSecrets(inputs), unwrapSecrets(r.inputs));
            this.steps.push({ op: "refresh", urn: r.urn, keys: changed ? changedKeysOf(r.outputs, outputs) : [] });
            if (!this.dryRun) this.persist({ ...r, id: res.id, outputs, inputs });
        }
    }

    /** `pulumi destroy`: everything, in reverse order. */
    async destroyAll(): Promise<void> {
        for (const r of [...this.state.resources].reverse()) await this.deleteOne(r);
    }

    setStackOutputs(outputs: Props): void {
        if (this.dryRun) return;
        this.state.outputs = outputs;
        this.file.save(this.state);
    }

    private async deleteOne(r: ResourceState): Promise<void> {
        if (r.external) {
            if (!this.dryRun) this.drop(r.urn);
            return;
        }
        this.steps.push({ op: "delete", urn: r.urn, preview: this.dryRun || undefined });
        if (this.dryRun) return;
        try {
            await this.host.delete(r.urn, r.id, unwrapSecrets(r.outputs), unwrapSecrets(r.inputs));
        } catch (e) {
            throw this.fail(r.urn, `deleting ${r.urn}: ${(e as Error).message}`);
        }
        this.drop(r.urn);
    }

    private async create(urn: string, r: Registration, inputs: Props, programInputs: Props, op: Step["op"] = "create") {
        this.steps.push({ op, urn, preview: this.dryRun || undefined });
        if (this.dryRun) return { urn, id: "", outputs: previewOutputs(inputs, r.props) };
        try {
            const res = await this.host.create(urn, unwrapSecrets(inputs));
            const outputs = this.secretOutputs(res.outputs, programInputs, r.additionalSecretOutputs);
            this.persist({ urn, type: r.type, name: r.name, id: res.id, inputs, outputs, additionalSecretOutputs: r.additionalSecretOutputs });
            return { urn, id: res.id, outputs };
        } catch (e) {
            throw this.initFailure(urn, r, e, inputs, programInputs);
        }
    }

    private async update(urn: string, r: Registration, prior: ResourceState, inputs: Props, programInputs: Props, keys: string[]) {
        this.steps.push({ op: "update", urn, preview: this.dryRun || undefined, keys });
        if (this.dryRun) return { urn, id: prior.id, outputs: { ...prior.outputs, ...inputs } };
        try {
            const outs = await this.host.update(urn, prior.id, unwrapSecrets(prior.outputs), unwrapSecrets(inputs), unwrapSecrets(prior.inputs));
            const outputs = this.secretOutputs(outs, programInputs, r.additionalSecretOutputs);
            this.persist({ ...prior, inputs, outputs, initErrors: undefined });
            return { urn, id: prior.id, outputs };
        } catch (e) {
            throw this.initFailure(urn, r, e, inputs, programInputs, prior);
        }
    }

    private async replace(urn: string, r: Registration, prior: ResourceState, inputs: Props, programInputs: Props, keys: string[], deleteFirst: boolean) {
        this.steps.push({ op: "replace", urn, preview: this.dryRun || undefined, keys });
        if (this.dryRun) return { urn, id: "", outputs: previewOutputs(inputs, r.props) };
        if (deleteFirst) {
            this.steps.push({ op: "delete-replaced", urn });
            await this.host.delete(urn, prior.id, unwrapSecrets(prior.outputs), unwrapSecrets(prior.inputs));
            this.drop(urn);
        } else {
            this.pendingReplacedDeletes.push(prior);
        }
        return this.create(urn, r, inputs, programInputs, "create-replacement");
    }

    private async runPolicies(urn: string, r: Registration, inputs: Props): Promise<void> {
        const diags = await this.analyze!({ urn, type: r.type, name: r.name, props: inputs });
        this.policyDiagnostics.push(...diags.map((d) => ({ ...d, urn })));
        const mandatory = diags.filter((d) => d.enforcementLevel === "mandatory" || d.enforcementLevel === "remediate");
        if (mandatory.length) throw this.fail(urn, `policy violations: ${mandatory.map((d) => `[mandatory] ${d.policyName}: ${d.message}`).join("; ")}`);
    }

    private secretOutputs(outs: Props, programInputs: Props, extra: string[]): Props {
        return markSecretOutputs(annotateSecrets(outs, programInputs), extra);
    }

    private initFailure(urn: string, r: Registration, e: unknown, inputs: Props, programInputs: Props, prior?: ResourceState): Error {
        if (e instanceof InitFailedError) {
            const outputs = this.secretOutputs(e.properties, programInputs, r.additionalSecretOutputs);
            this.persist({ ...(prior ?? {}), urn, type: r.type, name: r.name, id: e.id, inputs, outputs, initErrors: e.reasons, additionalSecretOutputs: r.additionalSecretOutputs });
        }
        return this.fail(urn, (e as Error).message);
    }

    private fail(urn: string, message: string): Error {
        this.errors.push(`${urn}: ${message}`);
        return new Error(message);
    }

    private persist(r: ResourceState): void {
        const i = this.state.resources.findIndex((x) => x.urn === r.urn);
        if (i === -1) this.state.resources.push(r);
        else this.state.resources[i] = r;
        this.file.save(this.state);
    }

    private drop(urn: string): void {
        this.state.resources = this.state.resources.filter((x) => x.urn !== urn);
        this.file.save(this.state);
    }
}

/** Keys whose values differ (the engine's legacy diff, used on DIFF_UNKNOWN; `__provider` included). */
function legacyDiff(olds: Props, news: Props): string[] {
    const keys = new Set([...Object.keys(olds), ...Object.keys(news)]);
    return [...keys].filter((k) => !deepEqual(unwrapSecrets(olds[k]), unwrapSecrets(news[k])));
}

function changedKeysOf(a: Props, b: Props): string[] {
    return legacyDiff(a, b);
}

/** Preview outputs: the checked inputs, with every declared-but-undefined output unknown. */
function previewOutputs(inputs: Props, programProps: Props): Props {
    const out: Props = { ...inputs };
    for (const [k, v] of Object.entries(programProps)) if (v === undefined && !(k in out)) out[k] = UNKNOWN;
    return out;
}
