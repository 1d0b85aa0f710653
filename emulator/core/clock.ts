/**
 * The emulator's clock: wall time plus an offset the control API can advance,
 * so tests can finish an hour-long job instantly and benchmarks can replay
 * long waits without sleeping. It can also be frozen, so a test can put any
 * number of requests at one instant however slowly the machine serves them.
 */
export class EmulatorClock {
    private offsetMs = 0;
    /** The instant `now()` answers while frozen; undefined while the clock runs. */
    private frozenAt: number | undefined;

    /** Emulator time in ms: wall time plus the offset, or the frozen instant. */
    now(): number {
        return this.frozenAt ?? Date.now() + this.offsetMs;
    }

    /** Moves the clock forward by `ms`, frozen or not. */
    advance(ms: number): void {
        this.offsetMs += ms;
        if (this.frozenAt !== undefined) this.frozenAt += ms;
    }

    /** Stops the clock at its current instant: `now()` then moves only by {@link advance}. Freezing a frozen clock changes nothing. */
    freeze(): void {
        this.frozenAt ??= this.now();
    }

    /**
     * Lets the clock run again on wall time plus the offset. The wall time
     * spent frozen is skipped, never replayed, so time does not go back.
     */
    unfreeze(): void {
        this.frozenAt = undefined;
    }

    /** Whether the clock is frozen. */
    get frozen(): boolean {
        return this.frozenAt !== undefined;
    }

    /**
     * How far the clock has been advanced, in ms (persisted with the state, so a restart does not turn time back).
     * A freeze is not persisted: a restarted emulator's clock runs.
     */
    get offset(): number {
        return this.offsetMs;
    }

    set offset(ms: number) {
        this.offsetMs = Number.isFinite(ms) ? ms : 0;
    }
}
