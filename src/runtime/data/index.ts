/*
 * Training data at run time (docs/training.md, "Data"): loading a source into memory,
 * validation split, standardization, batches and augmentation.
 */
export {
  DataError,
  batchOrder,
  gatherBatch,
  sampleSize,
  splitValidation,
  subset,
  type DataTensor,
  type Dataset,
  type DatasetSplits,
} from './dataset.js';
export { loadDataset } from './load.js';
export { standardStatistics, standardize, type Standardization } from './normalize.js';
export { augmentBatch, augmentImages, type AugmentDraws } from './augment.js';
export { parseCsv, type CsvTable } from './csv.js';
export { parseIdx, type IdxArray } from './idx.js';
