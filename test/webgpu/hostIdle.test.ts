import { describe, expect, it } from 'vitest';
import { HostIdler, hostIdlerFor } from '../../src/runtime/webgpu/hostIdle.js';

/*
 * The idler changes when the main thread sleeps, never what a wait returns: values and
 * rejections pass through, the event loop keeps turning while it naps, and it stops napping
 * once nothing is pending (a napping loop would keep Node from exiting).
 */

/** A promise settled after `turns` turns of the event loop (setImmediate), as Dawn's are. */
function afterTurns<T>(
  turns: number,
  settle: (resolve: (v: T) => void, reject: (e: Error) => void) => void,
) {
  return new Promise<T>((resolve, reject) => {
    const step = (left: number) =>
      left === 0 ? settle(resolve, reject) : setImmediate(() => step(left - 1));
    step(turns);
  });
}

describe('HostIdler', () => {
  it('passes a value through and stops napping once nothing is pending', async () => {
    const idler = new HostIdler({ minMs: 0.01, maxMs: 0.05, share: 0.1 });
    const value = await idler.track(afterTurns(20, (resolve) => resolve(42)));
    expect(value).toBe(42);
    expect(idler.waiting).toBe(0);
    // The nap loop sees no pending wait at its next turn and ends.
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(idler.napping).toBe(false);
  });

  it('passes a rejection through', async () => {
    const idler = new HostIdler({ minMs: 0.01, maxMs: 0.05, share: 0.1 });
    const failing = idler.track(
      afterTurns<number>(5, (_, reject) => reject(new Error('device lost'))),
    );
    await expect(failing).rejects.toThrow('device lost');
    expect(idler.waiting).toBe(0);
  });

  it('naps while waits are pending, and keeps the event loop turning', async () => {
    const idler = new HostIdler({ minMs: 0.01, maxMs: 0.05, share: 0.1 });
    const a = idler.track(afterTurns(30, (resolve) => resolve('a')));
    const b = idler.track(afterTurns(10, (resolve) => resolve('b')));
    expect(idler.waiting).toBe(2);
    expect(idler.napping).toBe(true);
    expect(await Promise.all([a, b])).toEqual(['a', 'b']);
    expect(idler.waiting).toBe(0);
  });

  it('is used only in Node on a software adapter', () => {
    expect(hostIdlerFor(true)).toBeInstanceOf(HostIdler);
    expect(hostIdlerFor(false)).toBeUndefined();
  });
});
