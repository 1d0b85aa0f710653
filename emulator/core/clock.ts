/**
 * The emulator's clock: wall time plus an offset the control API can advance,
 * so tests can finish an hour-long job instantly and benchmarks can replay
 * long waits without sleeping.
 */
export class EmulatorClock {
    private offsetMs = 0;

    now(): number {
        return Date.now() + this.offsetMs;
    }

    advance(ms: number): void {
        this.offsetMs += ms;
    }

    /** How far the clock has been advanced, in ms (persisted with the state, so a restart does not turn time back). */
    get offset(): number {
        return this.offsetMs;
    }

    set offset(ms: number) {
        this.offsetMs = Number.isFinite(ms) ? ms : 0;
    }
}
