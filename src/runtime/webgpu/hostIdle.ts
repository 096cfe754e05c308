/*
 * Dawn's Node binding learns that GPU work has finished by polling: while any of its
 * promises (mapAsync, onSubmittedWorkDone, popErrorScope) is pending it queues another poll
 * with setImmediate, so the main thread spins. On a real GPU that only wastes a core. On a
 * software adapter (Mesa's lavapipe) the kernels run on the driver's worker threads, one per
 * core, and the spinning thread takes a share of those same cores: on 2 cores it used about
 * 40% of the CPU time of a Keras CNN training step. While such a promise is pending,
 * `HostIdler` puts the main thread to sleep for a fraction of a millisecond at every turn of
 * the event loop, leaving the cores to the driver; a settled promise is seen at most one nap
 * late.
 */

/** How long each nap lasts: short beside a training step, long beside one poll. */
export const NAP_MS = 0.25;

const sleepCell = new Int32Array(new SharedArrayBuffer(4));

export class HostIdler {
  private pending = 0;
  private loopRunning = false;

  constructor(private readonly napMs = NAP_MS) {}

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
      setImmediate(this.nap);
    }
    return promise.finally(() => {
      this.pending--;
    });
  }

  private readonly nap = (): void => {
    if (this.pending === 0) {
      this.loopRunning = false;
      return;
    }
    // Nothing ever stores to the cell: the wait always runs out its timeout.
    Atomics.wait(sleepCell, 0, 0, this.napMs);
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
