/*
 * Child process for checkpoint.test.ts: writes a large checkpoint with writeCheckpoint and
 * tells the parent (over IPC) when the first chunk has reached the temporary file.
 *
 *   node --import tsx crash-writer.child.ts <target> <pause|race> <float count>
 *
 * `pause` then waits forever in the middle of the write, so the parent's SIGKILL lands at a
 * known point; `race` carries on, so the kill lands wherever the write happens to be.
 */
import { writeCheckpoint } from '../../../src/runtime/weights/checkpoint.js';

const [target, mode, count] = process.argv.slice(2);
if (!target || (mode !== 'pause' && mode !== 'race') || !count || !process.send)
  throw new Error('usage: crash-writer.child.ts <target> <pause|race> <float count> (with IPC)');
const send = process.send.bind(process);

const keepAlive = setInterval(() => undefined, 1000);
const chunkSize = 1 << 16;
const data = new Float32Array(Number(count)).fill(2);

await writeCheckpoint(
  target,
  {
    weights: { big: { shape: [data.length], data } },
    optimizerState: { 'big.m': { dtype: 'F32', shape: [data.length], data } },
    step: 2,
    epoch: 1,
    rngState: { seed: 2 },
    modelHash: 'model-A',
  },
  {
    chunkSize,
    onChunk: async (written, total) => {
      if (written > chunkSize) return;
      send({ written, total });
      if (mode === 'pause') await new Promise<never>(() => undefined);
    },
  },
);
send({ done: true });
clearInterval(keepAlive);
process.disconnect();
