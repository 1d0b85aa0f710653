import * as assert from "node:assert/strict";
import { alayaTemplate, bailianJob, polardbTask, tioneTask, TYPE_TOKENS } from "./fixtures";
import { assertNoViolations, assertNotApplicable, assertViolation, resourceGuard, runResourcePolicy, UNKNOWN } from "./util";

const ALAYA = TYPE_TOKENS.alayaTrainingTemplate;
const JOBS = [
    { type: TYPE_TOKENS.tioneTrainingTask, label: "TI-ONE training task", props: tioneTask },
    { type: TYPE_TOKENS.bailianFineTuneJob, label: "Bailian fine-tune job", props: bailianJob },
    { type: TYPE_TOKENS.polardbAidbTask, label: "PolarDB AIDB task", props: polardbTask },
];

describe("policy: bounded-runtime", () => {
    it("passes every job kind waiting within the default 72 h, and the provider defaults (wait, 1440 min)", async () => {
        for (const job of JOBS) {
            assertNoViolations(await runResourcePolicy(resourceGuard("boundedRuntime"), { type: job.type, props: await job.props() }));
            const defaults = await job.props({ waitForCompletion: undefined, completionTimeoutMinutes: undefined });
            assertNoViolations(await runResourcePolicy(resourceGuard("boundedRuntime"), { type: job.type, props: defaults }));
        }
        assertNoViolations(await runResourcePolicy(resourceGuard("boundedRuntime"), { type: ALAYA, props: await alayaTemplate() }));
    });

    it("reports a deadline over the limit for every job kind", async () => {
        for (const job of JOBS) {
            const run = await runResourcePolicy(resourceGuard("boundedRuntime"), {
                type: job.type,
                props: await job.props({ completionTimeoutMinutes: 10080 }),
            });
            assertViolation(
                run,
                `${job.label} waits up to 10080 minutes (completionTimeoutMinutes); the limit is 4320 minutes (72 h). Lower completionTimeoutMinutes, or raise boundedRuntime.maxRuntimeHours.`,
            );
        }
    });

    it("says the deadline bounds the wait, not the bill, for the jobs the provider waits on", async () => {
        for (const job of JOBS) {
            const run = await runResourcePolicy(resourceGuard("boundedRuntime"), { type: job.type, props: await job.props({ completionTimeoutMinutes: 10080 }) });
            assertViolation(run, "The deadline bounds how long `pulumi up` waits, not the bill: past it the job keeps running and billing until it ends or is stopped");
        }
    });

    it("points at stopAtDeadline where the provider can stop the job, and drops the caveat when it is set", async () => {
        const open = await runResourcePolicy(resourceGuard("boundedRuntime"), { type: JOBS[0].type, props: await tioneTask({ completionTimeoutMinutes: 10080 }) });
        assertViolation(open, "set stopAtDeadline: true to stop it at the deadline.");
        const stopping = await runResourcePolicy(resourceGuard("boundedRuntime"), { type: JOBS[0].type, props: await tioneTask({ completionTimeoutMinutes: 10080, stopAtDeadline: true }) });
        const v = assertViolation(stopping, "waits up to 10080 minutes");
        assert.doesNotMatch(v.message, /not the bill/);
    });

    it("reports a job that does not wait, unless waiting is not required", async () => {
        const run = await runResourcePolicy(resourceGuard("boundedRuntime"), { type: JOBS[0].type, props: await tioneTask({ waitForCompletion: false }) });
        assertViolation(run, "TI-ONE training task sets waitForCompletion: false, so it has no completion deadline. Set waitForCompletion: true");
        const relaxed = await runResourcePolicy(resourceGuard("boundedRuntime", { requireWaitForCompletion: false }), {
            type: JOBS[0].type,
            props: await tioneTask({ waitForCompletion: false, completionTimeoutMinutes: 10080 }),
        });
        assertNoViolations(relaxed);
    });

    it("reports an Alaya template without timeout cancel, or over the limit", async () => {
        const off = await runResourcePolicy(resourceGuard("boundedRuntime"), { type: ALAYA, props: await alayaTemplate({ enableTimeoutCancel: false }) });
        assertViolation(off, "Alaya training template does not cancel runs that overrun. Set enableTimeoutCancel: true and timeoutHours to at most 72.");
        const absent = await alayaTemplate({ enableTimeoutCancel: undefined });
        assertViolation(await runResourcePolicy(resourceGuard("boundedRuntime"), { type: ALAYA, props: absent }), "does not cancel runs that overrun");
        // enableTimeoutCancel without timeoutHours cannot be registered: the template's check refuses it (fixtures.ts).
        await assert.rejects(alayaTemplate({ timeoutHours: undefined }), /timeoutHours: is required \(1 or more hours\) when enableTimeoutCancel is true/);
        const long = await runResourcePolicy(resourceGuard("boundedRuntime"), { type: ALAYA, props: await alayaTemplate({ timeoutHours: 200 }) });
        assertViolation(long, "sets timeoutHours: 200; it must be more than 0 and at most 72.");
    });

    it("honours maxRuntimeHours from the engine's configuration", async () => {
        const run = await runResourcePolicy(resourceGuard("boundedRuntime"), {
            type: ALAYA,
            props: await alayaTemplate(),
            config: { maxRuntimeHours: 6 },
        });
        assertViolation(run, "sets timeoutHours: 12; it must be more than 0 and at most 6.");
        const job = await runResourcePolicy(resourceGuard("boundedRuntime"), { type: JOBS[1].type, props: await bailianJob(), config: { maxRuntimeHours: 6 } });
        assertViolation(job, "waits up to 1440 minutes (completionTimeoutMinutes); the limit is 360 minutes (6 h)");
    });

    it("skips values unknown at preview", async () => {
        const props = await tioneTask({ waitForCompletion: UNKNOWN.boolean, completionTimeoutMinutes: UNKNOWN.number });
        assertNoViolations(await runResourcePolicy(resourceGuard("boundedRuntime"), { type: JOBS[0].type, props }));
        const alaya = await alayaTemplate({ enableTimeoutCancel: UNKNOWN.boolean, timeoutHours: UNKNOWN.number });
        assertNoViolations(await runResourcePolicy(resourceGuard("boundedRuntime"), { type: ALAYA, props: alaya }));
    });

    it("does nothing when disabled", async () => {
        const run = await runResourcePolicy(resourceGuard("boundedRuntime", "disabled"), { type: ALAYA, props: await alayaTemplate({ enableTimeoutCancel: false }) });
        assert.equal(run.ran, false);
    });

    it("is not applicable to dataset files", async () => {
        assertNotApplicable(await runResourcePolicy(resourceGuard("boundedRuntime"), { type: TYPE_TOKENS.bailianFile, props: {} }));
    });
});

describe("policy: bounded-retries", () => {
    it("passes capped retries and retries turned off", async () => {
        assertNoViolations(await runResourcePolicy(resourceGuard("boundedRetries"), { type: ALAYA, props: await alayaTemplate() }));
        const off = await alayaTemplate({ enableAutoRetry: false, maxRetryCount: undefined });
        assertNoViolations(await runResourcePolicy(resourceGuard("boundedRetries"), { type: ALAYA, props: off }));
    });

    it("reports too many retries, and retries left to the service default", async () => {
        const many = await runResourcePolicy(resourceGuard("boundedRetries"), { type: ALAYA, props: await alayaTemplate({ maxRetryCount: 10 }) });
        assertViolation(many, "Alaya training template sets maxRetryCount: 10; the limit is 3 retries. Lower maxRetryCount, or raise boundedRetries.maxRetries.");
        const unbounded = await alayaTemplate({ maxRetryCount: undefined });
        assertViolation(
            await runResourcePolicy(resourceGuard("boundedRetries"), { type: ALAYA, props: unbounded }),
            "turns on enableAutoRetry without maxRetryCount, leaving retries to the service default. Set maxRetryCount to at most 3.",
        );
    });

    it("honours maxRetries from the pack helper and from the engine", async () => {
        assertNoViolations(await runResourcePolicy(resourceGuard("boundedRetries", { maxRetries: 10 }), { type: ALAYA, props: await alayaTemplate({ maxRetryCount: 10 }) }));
        const strict = await runResourcePolicy(resourceGuard("boundedRetries"), { type: ALAYA, props: await alayaTemplate(), config: { maxRetries: 0 } });
        assertViolation(strict, "the limit is 0");
    });

    it("does nothing when disabled", async () => {
        const run = await runResourcePolicy(resourceGuard("boundedRetries"), {
            type: ALAYA,
            props: await alayaTemplate({ maxRetryCount: 99 }),
            config: { enforcementLevel: "disabled" },
        });
        assert.equal(run.ran, false);
    });

    it("covers the provider's retry on every job kind it waits for: maxAttempts counts the first attempt", async () => {
        for (const job of JOBS) {
            const many = await runResourcePolicy(resourceGuard("boundedRetries"), { type: job.type, props: await job.props({ retry: { maxAttempts: 5, minIntervalSeconds: 0 } }) });
            assertViolation(many, `${job.label} sets retry.maxAttempts: 5 (4 retries after the first attempt); the limit is 3 retries.`);
            assertNoViolations(await runResourcePolicy(resourceGuard("boundedRetries"), { type: job.type, props: await job.props({ retry: { maxAttempts: 4 } }) }));
        }
    });

    it("a job without retry has one attempt: nothing to report", async () => {
        for (const job of JOBS) assertNoViolations(await runResourcePolicy(resourceGuard("boundedRetries"), { type: job.type, props: await job.props() }));
    });
});
