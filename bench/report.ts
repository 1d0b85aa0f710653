import type { BenchEnvironment } from "./env";
import type { HarnessCost } from "./harnessCost";
import type { ParallelRun } from "./cliParallel";
import type { CliScaleRun } from "./cliScale";
import type { KindOverhead, OverheadResult } from "./overhead";
import type { PollingResult } from "./polling";
import type { HostProfile } from "./profile";
import type { ScaleRun } from "./scale";
import type { StateWeightResult } from "./stateWeight";
import type { ThroughputRun } from "./throughput";
import { fmtBytes, fmtMs, fmtNum, fmtPct, max, median } from "./stats";

/** Everything one `npm run bench` measured. A section is absent when its measure was not run. */
export interface BenchResults {
    env: BenchEnvironment;
    full: boolean;
    kinds: string[];
    missingKinds: string[];
    durationMs?: number;
    overhead?: OverheadResult;
    overheadAtLatency?: OverheadResult;
    profiles?: HostProfile[];
    stateWeight?: StateWeightResult;
    polling?: PollingResult;
    throughput?: ThroughputRun[];
    scale?: ScaleRun[];
    harness?: HarnessCost;
    cliParallel?: ParallelRun[];
    cliScale?: CliScaleRun[];
}

/** A row of the summary: what the issue asks, what was measured, whether it holds. */
interface Verdict {
    target: string;
    measured: string;
    met: boolean | undefined;
}

const table = (head: string[], rows: Array<Array<string | number>>): string =>
    [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");

const yes = (met: boolean | undefined) => (met === undefined ? "—" : met ? "**met**" : "**missed**");

/** Median over rounds of host/direct, each round's pair measured back to back. */
export function pairedRatio(k: KindOverhead, a: "host" | "inProcess", b: "direct" | "inProcess"): number {
    const n = Math.min(k.ms[a].length, k.ms[b].length);
    return median(Array.from({ length: n }, (_, i) => k.ms[a][i] / k.ms[b][i]));
}

function overheadSection(r: BenchResults, v: Verdict[]): string {
    const o = r.overhead;
    if (!o) return "";
    const out: string[] = ["## 1. Provider overhead", ""];
    out.push(
        `Each round makes one create of every kind three ways, in random order, with the client's token bucket refilled between creates (${o.rounds} rounds, medians):`,
        "",
        "- **direct**: the one signed create request, sent by the SDK client (`sdk/…`) in the benchmark process;",
        "- **in-process**: the provider's own `check` + `create` (the lifecycle module the stub requires), called in the benchmark process: every API call the provider makes, no gRPC;",
        "- **host**: `check` + `create` through the real `@pulumi/pulumi/cmd/dynamic-provider` host over gRPC, warm (after a first create of the kind), as the engine drives it.",
        "",
        "Every create uses a fresh resource name, so the idempotency-marker lookup finds nothing and a real submit happens (waitForCompletion=false).",
        "",
    );
    const rows = o.kinds.map((k) => [
        k.token,
        `${fmtMs(median(k.ms.direct))} (${k.requests.direct})`,
        `${fmtMs(median(k.ms.inProcess))} (${k.requests.inProcess})`,
        `${fmtMs(median(k.ms.host))} (${k.requests.host})`,
        fmtMs(median(k.hostCreateMs)),
        `**${fmtNum(pairedRatio(k, "host", "direct"))}×**`,
        `${fmtNum(pairedRatio(k, "host", "inProcess"))}×`,
        fmtMs(k.hostCpuMs),
        fmtMs(median(k.coldCreateMs)),
    ]);
    out.push(
        table(["kind", "direct (requests)", "in-process (requests)", "host (requests)", "host create RPC alone", "host ÷ direct", "host ÷ in-process", "host CPU per create", "first create, cold host"], rows),
        "",
        `Host cold start (spawn → gRPC ready → Configure answered): median **${fmtMs(median(o.hostStartMs))}** (${o.hostStartMs.length} starts, max ${fmtMs(max(o.hostStartMs))}). ` +
            "The first create of a kind in a fresh host also loads the kind's modules (zod, axios, the SDK client): the last column.",
        "",
        "Requests made by one host create:",
        "",
        ...o.kinds.map((k) => `- ${k.token}: ${k.hostActions.join(" → ")}`),
        "",
    );
    const worst = Math.max(...o.kinds.map((k) => pairedRatio(k, "host", "direct")));
    const hostOwn = Math.max(...o.kinds.map((k) => pairedRatio(k, "host", "inProcess")));
    v.push({ target: "Provider overhead, warm host ÷ direct request ≤ 1.3", measured: `${fmtNum(Math.min(...o.kinds.map((k) => pairedRatio(k, "host", "direct"))))}–${fmtNum(worst)}× (host ÷ in-process: up to ${fmtNum(hostOwn)}×)`, met: worst <= 1.3 });
    v.push({ target: "Host cold start (reported)", measured: fmtMs(median(o.hostStartMs)), met: undefined });

    const l = r.overheadAtLatency;
    if (l) {
        // The provider's create makes more requests than the one submit (marker lookup, read-back): per request, at a
        // cloud's latency, is what the host itself adds.
        const perRequest = l.kinds.map((k) => pairedRatio(k, "host", "direct") / (k.requests.host / k.requests.direct));
        v.push({
            target: `Provider overhead per request at ${l.latencyMs} ms cloud latency: host ÷ (direct × requests) ≤ 1.3`,
            measured: `${fmtNum(Math.min(...perRequest))}–${fmtNum(Math.max(...perRequest))}×`,
            met: Math.max(...perRequest) <= 1.3,
        });
        // Issue 18: a create costs at most 2 requests, and so at most 2× one request at a cloud's latency. Where a kind needs
        // more, correctness needs them: the reason is the cloud's, stated with the measurement.
        const needsMore: Record<string, string> = {
            "polardb:AidbTask": "list items carry no task name, so the marker lookup reads the detail of each unknown task on the cluster (issue 16), and PolarDB does not refuse a duplicate name, so the lookup comes before the submit",
            "alaya:TrainingTemplate": "Alaya does not document refusing a duplicate name, so the lookup comes before the submit, and its create answer carries no id, so a list follows it",
        };
        const over = l.kinds.filter((k) => k.requests.host > 2);
        const why = over.map((k) => `${k.token}: ${needsMore[k.token] ?? "no reason recorded"}`).join("; ");
        v.push({
            target: "Requests per create ≤ 2, every kind",
            measured: `${l.kinds.map((k) => `${k.token} ${k.requests.host}`).join(", ")}${over.length ? ` (${why})` : ""}`,
            met: over.length === 0,
        });
        const slow = l.kinds.filter((k) => pairedRatio(k, "host", "direct") > 2);
        v.push({
            target: `Warm create through the host ÷ one direct request at ${l.latencyMs} ms cloud latency ≤ 2.0×, every kind`,
            measured:
                `${l.kinds.map((k) => `${k.token} ${fmtNum(pairedRatio(k, "host", "direct"))}×`).join(", ")}` +
                (slow.length ? `; the ratio follows the requests a create needs (above): the host adds ${fmtNum(Math.min(...perRequest))}–${fmtNum(Math.max(...perRequest))}× per request` : ""),
            met: slow.length === 0,
        });
        out.push(
            `### At cloud latency`,
            "",
            `The same comparison with every emulator answer delayed by ${l.latencyMs} ms (the emulator's latency fault), as a distant cloud would answer (${l.rounds} rounds). Here the local costs fade and the ratio approaches the number of requests:`,
            "",
            table(
                ["kind", "direct", "host", "host ÷ direct", "requests (host / direct)"],
                l.kinds.map((k) => [k.token, fmtMs(median(k.ms.direct)), fmtMs(median(k.ms.host)), `**${fmtNum(pairedRatio(k, "host", "direct"))}×**`, `${k.requests.host} / ${k.requests.direct}`]),
            ),
            "",
        );
    }
    if (r.profiles?.length) {
        out.push("### Where a warm host spends its time", "", "V8 CPU profile of a warm host over a series of check + create calls (sampled every 0.5 ms, started after warm-up; idle time left out). Milliseconds of the host's busy CPU per create:", "");
        for (const p of r.profiles) {
            out.push(
                `**${p.token}** (${p.creates} creates, ${fmtMs(p.busyMsPerCreate)} busy per create):`,
                "",
                table(["where", "per create", "share"], p.categories.filter((c) => c.share >= 0.005).map((c) => [c.name, fmtMs(c.ms), fmtPct(c.share)])),
                "",
            );
        }
    }
    out.push("### Why the target is " + (worst <= 1.3 ? "met" : "missed"), "", ...overheadWhy(r), "");
    return out.join("\n");
}

function overheadWhy(r: BenchResults): string[] {
    const o = r.overhead!;
    const ft = o.kinds.find((k) => k.token === "bailian:FineTuneJob");
    const hostOwnMs = median(o.kinds.map((k) => median(k.ms.host) - median(k.ms.inProcess)));
    const grpcShare = r.profiles?.[0] ? r.profiles[0].categories.filter((c) => /gRPC|protobuf|Pulumi/.test(c.name)).reduce((a, c) => a + c.ms, 0) : NaN;
    const lines = [
        `- **The provider sends more requests than the one create.** A create is the idempotency-marker lookup (design.md §3 rule 8: a list call, so an interrupted or retried \`up\` adopts the job it already submitted instead of starting a second one), the submit, and a read of the new job for its outputs (\`provider/core/lifecycle/create.ts\`), less what a kind saves: TI-ONE refuses a second task with a name, so it submits first and looks the marker up only on a duplicate or unknown answer; DashScope's create answer is the job, so no read follows. ` +
            `That is ${o.kinds.map((k) => `${k.requests.host} for ${k.token}`).join(", ")}. Against a local emulator each request costs about a millisecond of client and server work; against a real cloud each costs a network round trip, so the ratio tends to the request count (see *At cloud latency*).`,
        `- **The host itself is cheap.** Host minus in-process is about ${fmtMs(hostOwnMs)} per check + create (median over kinds): two gRPC round trips with protobuf \`Struct\` encoding of ~3 KB of inputs each way, the cached stub, and a process hop on a ${r.env.cpuCount}-core machine.` +
            (Number.isFinite(grpcShare) ? ` The profile puts gRPC, protobuf and the Pulumi host code at ${fmtMs(grpcShare)} of CPU per create; the rest is the HTTP client (axios, Node's http) doing the provider's requests, and GC.` : ""),
    ];
    for (const k of o.kinds) {
        const burst = k.clientLimit.burst ?? k.clientLimit.perSecond;
        if (burst >= k.requests.host || k.clientLimitPerAction) continue;
        lines.push(
            `- **${k.token} waits on its own rate budget.** Its client's bucket allows ${k.clientLimit.perSecond} requests/s with a burst of ${burst}, so request ${burst + 1} of every create waits for a token (up to ${fmtMs(1000 / k.clientLimit.perSecond)}) however idle the process: most of its ${fmtMs(median(k.ms.host))}.`,
        );
    }
    if (ft) {
        lines.push(
            `- **What remains**: PolarDB's lookup lists the cluster's tasks and reads each unnamed one's detail (list items do not carry the task name: issue 16's \`listItemDescription\` variant), and Alaya's create answer carries no id, so it is learned from the list. Neither cloud refuses a duplicate name, so the lookup before the submit stays (a second submit would be a second paid job). At cloud latency the ratio floors at the request count: **1.3× is not reachable while rule 8's lookup and the outputs' read stay**, short of a cloud-side idempotency token (none of the four create APIs documents one in \`reference/*.md\`).`,
        );
    }
    return lines;
}

function stateSection(r: BenchResults, v: Verdict[]): string {
    const s = r.stateWeight;
    if (!s) return "";
    const worst = Math.max(...s.kinds.map((k) => k.providerBytes));
    v.push({ target: "`__provider` ≤ 3 KB per resource", measured: `${fmtBytes(Math.min(...s.kinds.map((k) => k.providerBytes)))}–${fmtBytes(worst)}, identical per kind: ${s.kinds.every((k) => k.providerIdentical) ? "yes" : "no"}`, met: worst <= 3072 && s.kinds.every((k) => k.providerIdentical) });
    v.push({ target: "Checkpoint bytes per resource (reported)", measured: `${fmtBytes(Math.min(...s.kinds.map((k) => k.checkpointBytes)))}–${fmtBytes(Math.max(...s.kinds.map((k) => k.checkpointBytes)))}`, met: undefined });
    return [
        "## 2. State weight",
        "",
        `A stack with ${s.kinds[0]?.resources ?? 0} resources of each kind, jobs waited to completion (every output filled), checkpoint read back from disk (pretty-printed JSON, secrets encrypted, as the harness writes it).`,
        "",
        table(
            ["kind", "`__provider`", "same text for every resource", "copies in state", "checkpoint entry (as on disk)", "compact JSON", "of which `__provider`"],
            s.kinds.map((k) => [k.token, fmtBytes(k.providerBytes), k.providerIdentical ? "yes" : "**no**", k.providerCopies, fmtBytes(k.checkpointBytes), fmtBytes(k.compactBytes), fmtPct((k.providerBytes * k.providerCopies) / k.compactBytes)]),
        ),
        "",
        "The dynamic-provider host returns `__provider` among the outputs as well as the inputs (`resultIncludingProvider` in `cmd/dynamic-provider`), so a resource carries the stub twice; the Pulumi engine's checkpoint does the same. " +
            "The stub is one `require` per method (`provider/core/stub.ts`), so its size does not grow with the kind's schema or client.",
        "",
    ].join("\n");
}

function previewSection(r: BenchResults, v: Verdict[]): string {
    const run = r.scale?.find((s) => s.resources === 100) ?? r.scale?.[r.scale.length - 1];
    if (!run) return "";
    const previews = run.phases.filter((p) => p.op.startsWith("preview"));
    const total = previews.reduce((a, p) => a + p.requests, 0);
    v.push({ target: `API requests during a preview of a ${run.resources}-resource stack = 0`, measured: previews.map((p) => `${p.requests}`).join(" / ") + " (new / unchanged / every resource changed)", met: total === 0 });
    return [
        "## 3. Preview cost",
        "",
        `Previews of the ${run.resources}-resource mixed stack (section 6): API requests answered by the emulator, and what the host was asked.`,
        "",
        table(
            ["preview", "API requests", "host calls", "plan", "wall time"],
            previews.map((p) => [p.op.replace("preview ", ""), `**${p.requests}**`, Object.entries(p.providerCalls).filter(([m]) => !["getPluginInfo", "configure"].includes(m)).map(([m, n]) => `${m} ${n}`).join(", "), Object.entries(p.steps).map(([s, n]) => `${s} ${n}`).join(", "), fmtMs(p.wallMs)]),
        ),
        "",
        "Preview runs only `check` (pure: zod, plus the file hash for `bailian.File`) and `diff` (the field table against the old outputs); neither builds a client.",
        "",
    ].join("\n");
}

function throughputSection(r: BenchResults, v: Verdict[]): string {
    const runs = r.throughput;
    if (!runs?.length) return "";
    const out: string[] = ["## 4. Throughput against rate limits", ""];
    out.push(
        "Each run is one `up` through the harness of N resources (waitForCompletion=false) against a fresh emulator, with a recording proxy between the provider and the emulator that timestamps every request and spots throttling answers. " +
            "*Steady* is the median of whole one-second bins (ramp-up and tail left out); *peak* is the most requests in any sliding second, as the emulators count.",
        "",
    );
    const rows: Array<Array<string | number>> = [];
    for (const run of runs) {
        for (const c of run.clouds) {
            rows.push([
                run.label,
                c.kinds.join(", "),
                `${c.creates} / ${c.requests}`,
                fmtMs(c.spanMs),
                fmtNum(c.steadyPerSecond, 1),
                fmtNum(c.meanPerSecond, 1),
                `${c.clientLimit.perSecond} (burst ${c.clientLimit.burst ?? c.clientLimit.perSecond})`,
                fmtPct(c.steadyPerSecond / c.clientLimit.perSecond),
                c.serverLimit ? `${c.serverLimit.perSecond} ${c.serverLimit.scope}` : "none published",
                `${c.peakPerSecond} (${c.peakActionPerSecond.action} ${c.peakActionPerSecond.count})`,
                fmtNum(c.createsPerSecond, 2),
                `**${c.throttled}**`,
            ]);
        }
    }
    out.push(
        table(["run", "kinds", "creates / requests", "span", "steady req/s", "mean req/s", "client limit req/s", "steady ÷ client limit", "emulator limit", "peak in any second (busiest action)", "creates/s", "throttled"], rows),
        "",
    );
    const tione = runs.flatMap((x) => x.clouds).find((c) => c.cloud === "tione");
    const ok = runs.every((x) => x.ok);
    if (tione) {
        // The documented limit is per action, so the measure is the busiest action's sustained rate: CreateTrainingTask's.
        const limit = tione.serverLimit?.perSecond ?? 20;
        const createShare = tione.createsPerSecond / limit;
        v.push({
            target: `${tione.creates} TI-ONE creates: ≥ 95% of the 20 req/s limit, 0 throttled`,
            measured: `CreateTrainingTask at ${fmtNum(tione.createsPerSecond, 2)}/s = ${fmtPct(createShare)} of its 20/s (all actions ${fmtNum(tione.steadyPerSecond, 1)} req/s), ${tione.throttled} throttled`,
            met: createShare >= 0.95 && tione.throttled === 0 && ok,
        });
        out.push(
            "### TI-ONE",
            "",
            `- The emulator enforces the documented 20 requests/s **per action**; the client keeps one bucket per action at ${tione.clientLimit.perSecond}/s with a burst of ${tione.clientLimit.burst} (\`sdk/tione/client.ts\` \`TIONE_RATE_LIMIT\`, \`rateLimitPerAction\`): one request of an action leaves at least ${fmtNum(1000 / tione.clientLimit.perSecond, 1)} ms after the previous one, so no sliding second holds more than 20; a throttling answer is resent and cuts that action's rate (AIMD, \`sdk/core/rateLimiter.ts\`).`,
            `- Each create spends ${fmtNum(tione.requests / Math.max(1, tione.creates), 1)} requests (${Object.entries(tione.byAction).map(([a, n]) => `${a} ${n}`).join(", ")}), one of each action, so the actions run side by side and creates go at ${fmtNum(tione.createsPerSecond, 2)}/s, ${fmtPct(createShare)} of CreateTrainingTask's own 20/s.`,
            `- Why ${tione.clientLimit.perSecond}/s and not the full 20: requests bunch on the way (network, a busy event loop) and the service counts arrivals over a sliding second. Measured with 400 creates on this 2-core machine under CPU load: at 20/s, 6 of 10 runs met 1 to 6 throttled answers (resent, never seen by the caller); at 19.5/s, none in 12 runs. \`pulumi-training:tioneRequestsPerSecond\` sets 20 where the last 2.5% matter more.`,
            "",
        );
    }
    for (const c of runs.flatMap((x) => x.clouds).filter((c) => c.cloud !== "tione")) {
        v.push({ target: `${c.kinds.join(" + ")}: sustain the client's ${c.clientLimit.perSecond} req/s, 0 throttled`, measured: `${fmtNum(c.steadyPerSecond, 1)} req/s (${fmtPct(c.steadyPerSecond / c.clientLimit.perSecond)}), ${c.throttled} throttled`, met: c.steadyPerSecond / c.clientLimit.perSecond >= 0.95 && c.throttled === 0 });
    }
    if (!ok) out.push(`Errors: ${runs.filter((x) => !x.ok).map((x) => `${x.label}: ${x.errors.join("; ")}`).join(" — ")}`, "");
    return out.join("\n");
}

function pollingSection(r: BenchResults, v: Verdict[]): string {
    const p = r.polling;
    if (!p) return "";
    const s = p.schedule;
    const hour = p.table.find((x) => x.runMs === 3_600_000)!;
    const createRequests = r.overhead?.kinds.find((k) => k.token === "bailian:FineTuneJob")?.requests.host ?? 3;
    v.push({ target: "Polling: ≤ 70 requests for a 1-hour job", measured: `${hour.polls} polls + ${createRequests} to create = ${hour.polls + createRequests}` + (p.real ? ` (real scaled wait: ${p.real.polls} polls, ${p.real.totalRequests} requests)` : ""), met: hour.polls + createRequests <= 70 });
    v.push({ target: "Polling: worst notice delay ≤ 60 s", measured: `${fmtMs(p.worst.delayMs)} + one request's latency` + (p.real ? ` (real: ${fmtMs(p.real.noticeDelayMs)} at 1 h)` : ""), met: p.worst.delayMs <= 60_000 });
    const out = [
        "## 5. Polling cost",
        "",
        `The wait loop (\`provider/core/wait.ts\`, \`DEFAULT_POLL\`): first read after ${fmtMs(s.initialMs)}, each interval ×${s.factor}, capped at ${fmtMs(s.maxMs)}; a heartbeat line after ${fmtMs(s.heartbeatMs)} without change (no request). Replayed on paper for jobs of each run time (request latency left out):`,
        "",
        table(
            ["job run time", "status reads while waiting", "reads per job-hour", "notice delay for this run time"],
            p.table.map((x) => [fmtMs(x.runMs), x.polls, fmtNum(x.perJobHour, 1), fmtMs(x.noticeDelayMs)]),
        ),
        "",
        `Worst notice delay over every run time up to 2 h (1 s steps, and just after each read): **${fmtMs(p.worst.delayMs)}** (a job ending just after a read at the cap interval), plus one request's latency. In the long run a wait costs 3600 / ${s.maxMs / 1000} = ${fmtNum(3_600_000 / s.maxMs, 0)} reads per job-hour; a create adds ${createRequests} requests (section 1).`,
        "",
    ];
    if (p.real) {
        out.push(
            `**One real wait** (${p.real.token} through the host, emulator clock and poll schedule both scaled by ${p.real.scale}, so a ${fmtMs(p.real.runMs)} job took ${fmtMs(p.real.wallMs)}): **${p.real.polls}** status reads while waiting (the simulation says ${p.real.simulatedPolls}; each real read also spends its latency, which shifts later reads), ${p.real.totalRequests} requests in all, the end noticed **${fmtMs(p.real.noticeDelayMs)}** (scaled back) after the job finished.`,
            "",
        );
    }
    if (p.shared) {
        const sh = p.shared;
        const starved = sh.loadedCreateMs.length === 0;
        v.push({ target: "Concurrent waits share the rate budget without starving creates", measured: `${sh.loadedCreateMs.length} creates done under ${sh.waiters} saturating waits, median ${fmtMs(median(sh.loadedCreateMs))} (idle ${fmtMs(median(sh.idleCreateMs))}), ${sh.throttled} throttled`, met: !starved && sh.throttled === 0 && max(sh.loadedCreateMs) <= 3 * 3 * sh.fifoBoundPerRequestMs });
        out.push(
            `**Concurrent waits and creates** (${sh.token}, one host): ${sh.waiters} jobs being waited on, on a schedule scaled by ${sh.scale} so their reads alone exceed the client's ${sh.bucketPerSecond} req/s, then ${sh.loadedCreateMs.length} creates one after another:`,
            "",
            table(
                ["", "create (check + create), median", "max", "waits' reads/s during the creates", "creates' requests/s", "throttled"],
                [
                    ["idle host", fmtMs(median(sh.idleCreateMs)), fmtMs(max(sh.idleCreateMs)), "—", "—", "—"],
                    [`${sh.waiters} waits polling`, fmtMs(median(sh.loadedCreateMs)), fmtMs(max(sh.loadedCreateMs)), fmtNum(sh.loadedPollsPerSecond, 1), fmtNum(sh.loadedCreateRequestsPerSecond, 2), `**${sh.throttled}**`],
                ],
            ),
            "",
            `The bucket (\`sdk/core/rateLimiter.ts\`) serves callers in arrival order and each wait has at most one read queued, so a create's request waits behind at most ${sh.waiters} reads: ${fmtMs(sh.fifoBoundPerRequestMs)} per request at ${sh.bucketPerSecond}/s. Creates slow down under saturation but always progress; nothing is throttled. ` +
                `At the real cap interval (${fmtMs(s.maxMs)}) reads alone fill a client's budget only beyond ${p.saturatingWaits.map((x) => `${x.waits} concurrent waits (${x.token})`).join(", ")}.`,
            "",
        );
    }
    return out.join("\n");
}

function scaleSection(r: BenchResults, v: Verdict[]): string {
    const runs = r.scale;
    if (!runs?.length) return "";
    const out = [
        "## 6. Scale",
        "",
        `Stacks of ${runs.map((x) => x.resources).join(" / ")} resources spread evenly over the kinds (waitForCompletion=false; the emulator finishes jobs within 0.2 s, so destroy deletes finished jobs), each run: preview of the new stack, up, preview with nothing changed, preview with a replace field changed on every resource, destroy. ` +
            `Peak memory is \`VmHWM\` of the provider host and of the program process, sampled every 100 ms from \`/proc\`. *Rate floor* is the least time the clients' token buckets allow for the operation's requests (the slowest cloud's requests beyond its burst ÷ its rate).` +
            (r.full ? "" : " The 1,000-resource run is behind `npm run bench -- --full` (see *Running*)."),
        "",
    ];
    const rows: Array<Array<string | number>> = [];
    for (const run of runs) {
        for (const p of run.phases) {
            rows.push([run.resources, p.op, p.ok ? "ok" : `**failed**: ${p.errors[0] ?? ""}`, fmtMs(p.wallMs), p.requests, p.rateFloorMs > 0 ? fmtMs(p.rateFloorMs) : "—", fmtMs(p.wallMs / run.resources), fmtBytes(p.hostPeakRss), fmtBytes(p.programPeakRss)]);
        }
    }
    out.push(table(["resources", "operation", "result", "wall time", "API requests", "rate floor", "per resource", "host peak RSS", "program peak RSS"], rows), "");
    out.push(`Checkpoint after the up: ${runs.map((x) => `${x.resources}: ${fmtBytes(x.checkpointBytes)}`).join(", ")}.`, "");
    const biggest = runs[runs.length - 1];
    const hostPeak = Math.max(...biggest.phases.map((p) => p.hostPeakRss).filter(Number.isFinite));
    v.push({ target: `Host peak memory ≤ 300 MB (${biggest.resources} resources${biggest.resources < 1000 ? "; 1,000 with --full" : ""})`, measured: fmtBytes(hostPeak), met: biggest.resources >= 1000 ? hostPeak <= 300 * 1024 * 1024 : undefined });
    const growth: string[] = [];
    for (let i = 1; i < runs.length; i++) {
        const a = runs[i - 1];
        const b = runs[i];
        const f = b.resources / a.resources;
        const ph = (run: ScaleRun, op: string) => run.phases.find((p) => p.op === op)!;
        growth.push(
            `- ${a.resources} → ${b.resources} (×${f}): up ×${fmtNum(ph(b, "up").wallMs / ph(a, "up").wallMs, 1)}, preview ×${fmtNum(ph(b, "preview (new stack)").wallMs / ph(a, "preview (new stack)").wallMs, 1)}, destroy ×${fmtNum(ph(b, "destroy").wallMs / ph(a, "destroy").wallMs, 1)}, ` +
                `host peak ×${fmtNum(Math.max(...b.phases.map((p) => p.hostPeakRss)) / Math.max(...a.phases.map((p) => p.hostPeakRss)), 2)}, program peak ×${fmtNum(Math.max(...b.phases.map((p) => p.programPeakRss).filter(Number.isFinite)) / Math.max(...a.phases.map((p) => p.programPeakRss).filter(Number.isFinite)), 2)}, checkpoint ×${fmtNum(b.checkpointBytes / a.checkpointBytes, 1)}.`,
        );
    }
    if (growth.length) out.push("Growth:", "", ...growth, "");
    out.push(...scaleNotes(r), "");
    return out.join("\n");
}

function scaleNotes(r: BenchResults): string[] {
    const runs = r.scale!;
    const big = runs[runs.length - 1];
    const up = big.phases.find((p) => p.op === "up")!;
    return [
        `- **Up is bound by the clients' rate limits**, not by the provider: at ${big.resources} resources the up took ${fmtMs(up.wallMs)} against a rate floor of ${fmtMs(up.rateFloorMs)} (requests by cloud: ${Object.entries(up.requestsByCloud).map(([c, n]) => `${c} ${n}`).join(", ")}). The slowest budget is Alaya's assumed 5 req/s (\`sdk/alaya/assumptions.ts\`).`,
        "- **Destroy is sequential in the harness** (`Deployment.destroyAll` deletes one resource at a time); the Pulumi engine deletes independent resources in parallel, so a real destroy is closer to the rate floor.",
        "- **Preview cost is per resource**: one `check` (and one `diff` once the resource exists) per resource over gRPC, plus the program's own registration work; no API calls (section 3).",
        "- **The harness saves the whole checkpoint after every step** (`CheckpointFile.save`, section 7), so an up of N resources writes O(N²) bytes; the Pulumi engine journals instead. At 1,000 resources this is a visible share of the up and destroy.",
    ];
}

function harnessSection(r: BenchResults, v: Verdict[]): string {
    const h = r.harness;
    if (!h) return "";
    void v;
    const out = [
        "## 7. Engine harness and emulator cost",
        "",
        table(
            ["what", "median", "max"],
            [
                ["emulator start + close (all four clouds)", fmtMs(median(h.emulatorStartMs)), fmtMs(max(h.emulatorStartMs))],
                [`one emulator request (keep-alive GET, no client; ${h.emulatorRequestMs.samples} samples)`, fmtMs(h.emulatorRequestMs.median), `p95 ${fmtMs(h.emulatorRequestMs.p95)}`],
                ...(r.overhead ? [["provider host start (spawn → Configure)", fmtMs(median(r.overhead.hostStartMs)), fmtMs(max(r.overhead.hostStartMs))]] : []),
                ["`up` of an empty program (host + program start + engine)", fmtMs(median(h.emptyUpMs)), fmtMs(max(h.emptyUpMs))],
                ["`preview` of an empty program", fmtMs(median(h.emptyPreviewMs)), fmtMs(max(h.emptyPreviewMs))],
            ],
        ),
        "",
        "Saving the checkpoint (done after every step):",
        "",
        table(["resources in the checkpoint", "one save", "file size", "per resource"], h.checkpointSaveMs.map((c) => [c.resources, fmtMs(c.ms), fmtBytes(c.bytes), fmtMs(c.ms / c.resources)])),
        "",
    ];
    const runs = r.scale ?? [];
    if (runs.length >= 2) {
        const [a, b] = [runs[0], runs[1]];
        const slope = (op: string) => (b.phases.find((p) => p.op === op)!.wallMs - a.phases.find((p) => p.op === op)!.wallMs) / (b.resources - a.resources);
        out.push(
            `Per resource (slope between the ${a.resources}- and ${b.resources}-resource runs of section 6): preview **${fmtMs(slope("preview (new stack)"))}**, up ${fmtMs(slope("up"))} (rate-limited: see section 6), destroy ${fmtMs(slope("destroy"))} (sequential, rate-limited).`,
            "",
            `So an engine test costs roughly: emulator start + ${fmtMs(median(h.emptyUpMs))} per \`up\`/\`preview\`/\`destroy\` of a small program, plus each API request it makes (about ${fmtMs(h.emulatorRequestMs.median)} here, but never faster than the kind's client rate limit once a test makes more requests than the burst), plus any scaled waiting (\`PULUMI_TRAINING_POLL_SCALE\`).`,
            "",
        );
    }
    return out.join("\n");
}

function cliParallelSection(r: BenchResults, v: Verdict[]): string {
    const runs = r.cliParallel;
    if (!runs?.length) return "";
    const last = (x: ParallelRun) => x.submittedMs[x.submittedMs.length - 1] ?? NaN;
    const one = runs.find((x) => x.jobs === 1);
    const group = runs.filter((x) => x.jobs > 1);
    const waiting = group.find((x) => x.design === "each job waits");
    const completion = group.find((x) => x.design === "one Completion");
    const jobs = (completion ?? waiting)?.jobs ?? 24;
    if (completion && one) {
        v.push({
            target: `${jobs} jobs, default --parallel, real CLI: up start → last submit ≤ 2× the time to submit one job`,
            measured: `${fmtMs(last(completion))} with one Completion = ${fmtNum(last(completion) / last(one), 2)}× one job's ${fmtMs(last(one))}${waiting ? ` (each job waiting: ${fmtMs(last(waiting))})` : ""}`,
            met: last(completion) <= 2 * last(one) && completion.ok,
        });
    }
    const byDefault = runs.find((x) => x.label.startsWith("default"))?.label.replace(/\D+/g, "") ?? "?";
    return [
        "## 8. Waiting jobs under the real CLI (`--parallel`)",
        "",
        `One \`pulumi up\` (the real CLI, \`tests/cli\`) of ${jobs} TI-ONE tasks, each running about ${fmtMs((completion ?? waiting)!.jobMs)} on the emulator, in two shapes, all runs side by side: ` +
            "*each job waits* (`waitForCompletion: true`, the default; `tests/engine/programs/tioneMany.ts`) and *one Completion* (`waitForCompletion: false` on every task and one `Completion` for the group; `tests/cli/programs/completion.ts`). " +
            "The first row is the yardstick: the same Completion program with one task. Times are from the start of `pulumi up` (CLI and language host start included) to the task's first appearance in the emulator.",
        "",
        table(
            ["shape", "--parallel", "jobs", "first job submitted", "job 9 submitted", "last job submitted", "up took", "ok"],
            runs.map((x) => [x.design, x.label, x.jobs, fmtMs(x.submittedMs[0]), fmtMs(x.submittedMs[8] ?? NaN), fmtMs(last(x)), fmtMs(x.upMs), x.ok ? "yes" : "**no**"]),
        ),
        "",
        "A create that waits for its job holds one engine step, and the engine runs at most `--parallel` steps at once (default 4 × CPUs, here " +
            `${byDefault}). With each job waiting, jobs beyond the limit are submitted only as earlier ones finish: with hours-long jobs, hours late. ` +
            "With one Completion, no job's step outlives its submit, so every job is submitted at once under the default, and the one Completion step (one engine slot for the whole group) holds `up` until the last job ends. " +
            "The library keeps `waitForCompletion: true` as each job's default (alone, a job's outputs are final when its step ends); a program that declares more waiting jobs than `--parallel` logs one warning at preview naming the fixes.",
        "",
    ].join("\n");
}

function cliScaleSection(r: BenchResults, v: Verdict[]): string {
    const runs = r.cliScale;
    if (!runs?.length) return "";
    const rows: Array<Array<string | number>> = [];
    for (const run of runs) {
        for (const p of run.phases) {
            rows.push([
                run.resources,
                p.op,
                fmtMs(p.harnessMs),
                fmtMs(p.cliMs),
                `${fmtNum(p.cliMs / p.harnessMs, 2)}×`,
                `${p.harnessRequests} / ${p.cliRequests}`,
                fmtBytes(p.cliPeak.cli),
                fmtBytes(p.cliPeak["language host"]),
                fmtBytes(p.cliPeak["provider host"]),
                fmtBytes(p.harnessPeak["provider host"]),
                p.harnessOk && p.cliOk ? "ok" : `**failed**: ${p.error ?? ""}`,
            ]);
        }
    }
    for (const run of runs) {
        const quiet = run.phases.filter((p) => p.op !== "up");
        v.push({
            target: `Real CLI, ${run.resources} resources: preview and a no-op up make 0 API calls`,
            measured: quiet.map((p) => `${p.op}: ${p.cliRequests} (harness ${p.harnessRequests})`).join(", "),
            met: quiet.every((p) => p.cliRequests === 0 && p.harnessRequests === 0 && p.cliOk && p.harnessOk),
        });
        v.push({
            target: `Real CLI ÷ harness wall time, ${run.resources} resources (reported)`,
            measured: run.phases.map((p) => `${p.op} ${fmtNum(p.cliMs / p.harnessMs, 2)}×`).join(", "),
            met: undefined,
        });
    }
    const peak = (run: CliScaleRun, role: "cli" | "language host" | "provider host") => Math.max(...run.phases.map((p) => p.cliPeak[role]).filter(Number.isFinite));
    const big = runs[runs.length - 1];
    v.push({
        target: `Real CLI provider host peak ≤ 300 MB at 1,000 resources${big.resources < 1000 ? " (1,000 with --full)" : ""}`,
        measured: runs.map((x) => `${x.resources}: ${fmtBytes(peak(x, "provider host"))}`).join(", "),
        met: big.resources >= 1000 ? peak(big, "provider host") <= 300 * 1024 * 1024 : undefined,
    });
    const growth: string[] = [];
    for (let i = 1; i < runs.length; i++) {
        const [a, b] = [runs[i - 1], runs[i]];
        const f = (role: "cli" | "language host" | "provider host") => `${role} ${fmtBytes(peak(a, role))} → ${fmtBytes(peak(b, role))} (+${fmtBytes((peak(b, role) - peak(a, role)) / (b.resources - a.resources))} per resource)`;
        growth.push(`- ${a.resources} → ${b.resources} resources: ${f("cli")}; ${f("language host")}; ${f("provider host")}.`);
    }
    return [
        "## 9. The real CLI beside the harness",
        "",
        "The scale stack of section 6 (resources spread evenly over the kinds, `waitForCompletion: false`) through the real `pulumi` CLI (file backend, `tests/cli`) and through the engine harness, operation by operation, each side with its own emulator (names are unique on some clouds), run alternately. " +
            "Peak memory is `VmHWM` of every process the operation started, found by walking this process's descendants in `/proc` every 100 ms: the CLI (the Go engine), the language host (`tests/cli/languageHost.ts`, which runs the program in-process) and the dynamic-provider host (`cmd/dynamic-provider`, started by the CLI)." +
            (r.full ? "" : " The 1,000-resource run is behind `npm run bench -- --full`."),
        "",
        table(["resources", "operation", "harness", "real CLI", "CLI ÷ harness", "API requests (harness / CLI)", "CLI peak", "language host peak", "provider host peak (CLI)", "provider host peak (harness)", "result"], rows),
        "",
        ...(growth.length ? ["Growth:", "", ...growth, ""] : []),
        "- Read the ratios with the two engines' costs in mind: the harness rewrites its whole checkpoint after every step (section 7), which is what makes its no-op `up` of a large stack slow; the CLI has a fixed cost per command (the Go engine, the language host with ts-node, the provider plugin) and persists its own checkpoint to the file backend. Where the real CLI's preview and up of a large stack spend their extra time (and the CLI's and language host's memory, which grow with the stack while the provider host's stays nearly flat) is not profiled here.",
        "",
    ].join("\n");
}

/** BENCHMARKS.md. */
export function renderReport(r: BenchResults, command: string): string {
    const verdicts: Verdict[] = [];
    const sections = [overheadSection(r, verdicts), stateSection(r, verdicts), previewSection(r, verdicts), throughputSection(r, verdicts), pollingSection(r, verdicts), scaleSection(r, verdicts), harnessSection(r, verdicts), cliParallelSection(r, verdicts), cliScaleSection(r, verdicts)].filter(Boolean);
    const e = r.env;
    return [
        "# Benchmarks",
        "",
        `Written by \`${command}\` (\`bench/run.ts\`) on ${e.date}${r.durationMs ? `; the run took ${fmtMs(r.durationMs)}` : ""}. Nothing here is a test: these are measurements, medians of several runs where noted, and every ratio is measured side by side in one run.`,
        "",
        "## Machine",
        "",
        table(
            ["", ""],
            [
                ["CPU", e.cpus],
                ["memory", e.memory],
                ["OS", e.os],
                ["Node", e.node],
                ["load average (1 min) before / after", `${fmtNum(e.loadBefore[0])} / ${e.loadAfter ? fmtNum(e.loadAfter[0]) : "n/a"}`],
                ["commit", e.commit],
                ...Object.entries(e.packages).map(([k, ver]) => [k, ver]),
            ],
        ),
        "",
        `Kinds measured: ${r.kinds.join(", ")}${r.missingKinds.length ? ` (not built, skipped: ${r.missingKinds.join(", ")})` : ""}.` +
            (e.loadBefore[0] > 0.5 * e.cpuCount ? ` **The machine was busy when the run started (load ${fmtNum(e.loadBefore[0])} on ${e.cpuCount} CPUs): absolute times are inflated; ratios measured side by side are still fair.**` : ""),
        "",
        "## Summary",
        "",
        table(["target (issues 10 and 18)", "measured", ""], verdicts.map((x) => [x.target, x.measured, yes(x.met)])),
        "",
        ...sections,
        "## Running",
        "",
        "- `npm run bench` builds, runs every measure except the 1,000-resource scale run, logs progress, prints the report and rewrites this file.",
        "- `npm run bench -- --full` adds the 1,000-resource stack (several minutes on a 2-core machine: its up alone is bound to about 160 s by Alaya's 5 req/s budget, and the harness's destroy is sequential), the 1,000-resource real-CLI run of section 9, and profiles every kind.",
        "- `npm run bench -- --only=overhead,polling` runs some measures and prints them without touching this file. Measures: `overhead`, `latency`, `profile`, `state`, `polling`, `throughput`, `scale`, `harness`, `cli-parallel` and `cli-scale` (both need the real CLI: `npm run pulumi-cli`).",
        "- `--rounds=N` sets the interleaved rounds of the overhead A/B (default 12); `--runs=N` the repetitions of the harness-cost measures (default 5).",
        "- Timings depend on the machine's load: run it on a quiet machine. The raw numbers of the last run are in `dist/bench/last-run.json`.",
        "",
    ].join("\n");
}
