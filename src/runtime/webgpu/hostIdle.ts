/*
 * Dawn's Node binding learns that GPU work has finished by polling: while any of its
 * promises (mapAsync, onSubmittedWorkDone, popErrorScope) is pending it queues another poll
 * with setImmediate, so the main thread spins. On a real GPU that only wastes a core. On a
 * software adapter (Mesa's lavapipe) the kernels run on the driver's worker threads, one per
 * core, and the spinning thread takes a share of those same cores: on 2 cores it used about
 * 40% of the CPU time of a Keras CNN training step. While such a promise is pending,
 * `HostIdler` puts the main thread to sleep at every turn of the event loop, leaving the
 * cores to the driver. Each poll costs tens of microseconds, so the naps lengthen as a wait
 * drags on, to a tenth of the time since the last promise settled: a settled promise is seen
 * at most about 10% late, and a long wait polls a few dozen times rather than thousands.
 */

export interface NapTimes {
  /** The first nap after a promise settles, in milliseconds. */
  readonly minMs: number;
  /** The longest nap. */
  readonly maxMs: number;
  /** Each nap's share of the time since the last promise settled. */
  readonly share: number;
}

export const DEFAULT_NAPS: NapTimes = { minMs: 0.05, maxMs: 2, share: 0.1 };

const sleepCell = new Int32Array(new SharedArrayBuffer(4));

export class HostIdler {
  private pending = 0;
  private loopRunning = false;
  /** When a promise last settled, or the loop started. */
  private since = 0;

  constructor(private readonly naps: NapTimes = DEFAULT_NAPS) {}

  /** Tracked promises not yet settled. */
  get waiting(): number {
    return this.pending;
  }

  /** Whether the nap loop is queued on the event loop. */
  get napping(): boolean {
    return this.loopRunning;
  }

  /** `promise`, with the host napping between polls until it settles. */
  track<T>(promise: Promise<T>): Promise<T> {
    this.pending++;
    if (!this.loopRunning) {
      this.loopRunning = true;
      this.since = performance.now();
      setImmediate(this.nap);
    }
    return promise.finally(() => {
      this.pending--;
      this.since = performance.now();
    });
  }

  private readonly nap = (): void => {
    if (this.pending === 0) {
      this.loopRunning = false;
      return;
    }
    const { minMs, maxMs, share } = this.naps;
    const ms = Math.min(maxMs, Math.max(minMs, share * (performance.now() - this.since)));
    // Nothing ever stores to the cell: the wait always runs out its timeout.
    Atomics.wait(sleepCell, 0, 0, ms);
    setImmediate(this.nap);
  };
}

/**
 * An idler where napping is possible and pays: in Node (browsers forbid Atomics.wait on the
 * main thread and do not poll this way) on a software adapter.
 */
export function hostIdlerFor(software: boolean): HostIdler | undefined {
  const inNode = typeof process !== 'undefined' && !!process.versions?.node;
  return software && inNode && typeof setImmediate === 'function' ? new HostIdler() : undefined;
}
