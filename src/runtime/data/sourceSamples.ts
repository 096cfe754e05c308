import type { DataTensor } from './dataset.js';

/**
 * What a data source reads or generates for one part (training or test), before the
 * fields get their names: the features in network-input order, then one label per sample.
 */
export interface SourceSamples {
  readonly count: number;
  readonly features: readonly DataTensor[];
  readonly labels: Float32Array;
}
