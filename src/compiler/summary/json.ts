import type { NetworkSummary } from '../summary.js';

/**
 * `netc summary --json`:
 * `{"networks":[{"name","inputs":{NAME:SHAPE},"outputs":{NAME:SHAPE},"params":INT,"macs":INT,
 * "layers":[{"name","op","output":SHAPE,"params":INT,"macs":INT}]}]}`, shapes unbatched.
 * Exactly these keys: the richer fields of `NetworkSummary` stay out of the stable format.
 */
export function summaryJson(summaries: readonly NetworkSummary[]): string {
  const networks = summaries.map((s) => ({
    name: s.name,
    inputs: s.inputs,
    outputs: s.outputs,
    params: s.params,
    macs: s.macs,
    layers: s.layers.map((l) => ({
      name: l.name,
      op: l.op,
      output: l.output,
      params: l.params,
      macs: l.macs,
    })),
  }));
  return inlineShapes(JSON.stringify({ networks }, null, 2)) + '\n';
}

/** Puts each array of numbers on one line (`[6, 28, 28]`); names never contain brackets. */
function inlineShapes(json: string): string {
  return json.replace(/\[[\d\s,-]*\]/g, (array) => {
    const items = array.slice(1, -1).trim();
    return items === '' ? '[]' : `[${items.split(/\s*,\s*/).join(', ')}]`;
  });
}
