import { describe, expect, it } from 'vitest';
import type { PrimAttrMap, PrimKind } from '../../src/runtime/program.js';
import type {
  WgslCall,
  WgslDispatch,
  WgslKernel,
} from '../../src/runtime/webgpu/kernels/kernel.js';
import { wgslKernels } from '../../src/runtime/webgpu/kernels/index.js';

/*
 * The dispatches the fused forms plan, without a device: how many, what each binds. The
 * numbers are checked against WebGPU itself in kernels.test.ts and spatial.test.ts; here, that
 * the fusions save what they are for: db in the weight gradient's dispatch, a loss with its
 * gradient in one, and a whole multi-parameter update in as few as the binding limit allows.
 */

function plan<K extends PrimKind>(
  op: K,
  attrs: PrimAttrMap[K],
  inputShapes: number[][],
  outputShapes: number[][],
  options: { outputIds?: number[]; maxStorageBuffersPerShaderStage?: number } = {},
): WgslDispatch[] {
  const inputIds = inputShapes.map((_, i) => i);
  const call: WgslCall<K> = {
    op,
    attrs,
    inputShapes,
    outputShapes,
    inputIds,
    outputIds: options.outputIds ?? outputShapes.map((_, j) => inputShapes.length + j),
    limits: {
      maxComputeWorkgroupsPerDimension: 65535,
      maxStorageBuffersPerShaderStage: options.maxStorageBuffersPerShaderStage ?? 8,
    },
  };
  return [...(wgslKernels[op] as WgslKernel<K>)(call)];
}

/** The output operand indices a dispatch binds. */
const outputsBound = (d: WgslDispatch) =>
  d.bindings.filter((b) => b.operand.side === 'output').map((b) => b.operand.index);

describe('fused gradients and losses are one dispatch each', () => {
  it('dense_grad_weight with biasGrad writes dW and db from one dispatch', () => {
    const ds = plan(
      'dense_grad_weight',
      { biasGrad: true },
      [
        [5, 3],
        [5, 7],
      ],
      [[3, 7], [3]],
    );
    expect(ds).toHaveLength(1);
    expect(outputsBound(ds[0]!)).toEqual([0, 1]);
    // Without biasGrad the module is the plain product, untouched by the fusion.
    const plain = plan(
      'dense_grad_weight',
      {},
      [
        [5, 3],
        [5, 7],
      ],
      [[3, 7]],
    );
    expect(plain[0]!.code).not.toContain('s0 = s0');
  });

  it('conv2d_grad_weight with biasGrad writes dW and db from one dispatch', () => {
    const attrs: PrimAttrMap['conv2d_grad_weight'] = {
      filters: 4,
      kernel: [3, 3],
      stride: [1, 1],
      pad: [1, 1],
      dilation: [1, 1],
      groups: 1,
      bias: true,
      padMode: 'zeros',
      biasGrad: true,
    };
    const ds = plan(
      'conv2d_grad_weight',
      attrs,
      [
        [2, 4, 5, 5],
        [2, 3, 5, 5],
      ],
      [[4, 3, 3, 3], [4]],
    );
    expect(ds).toHaveLength(1);
    expect(outputsBound(ds[0]!)).toEqual([0, 1]);
    // `bias` alone (the layer has one) does not ask for db.
    const weightOnly = plan(
      'conv2d_grad_weight',
      { ...attrs, biasGrad: false },
      [
        [2, 4, 5, 5],
        [2, 3, 5, 5],
      ],
      [[4, 3, 3, 3]],
    );
    expect(outputsBound(weightOnly[0]!)).toEqual([0]);
  });

  it('softmax_cross_entropy_with_grad and sigmoid_bce_with_grad are one dispatch', () => {
    for (const target of ['index', 'distribution'] as const) {
      const ds = plan(
        'softmax_cross_entropy_with_grad',
        { target, weight: 1 },
        [[300, 3], target === 'index' ? [300] : [300, 3]],
        [[], [300, 3]],
      );
      expect(ds).toHaveLength(1);
      expect(outputsBound(ds[0]!)).toEqual([0, 1]);
    }
    const bce = plan(
      'sigmoid_bce_with_grad',
      { weight: 1 },
      [
        [7, 5],
        [7, 5],
      ],
      [[], [7, 5]],
    );
    expect(bce).toHaveLength(1);
    expect(outputsBound(bce[0]!)).toEqual([0, 1]);
  });
});

describe('a multi-parameter update is one dispatch per chunk of groups that the device binds', () => {
  const adam: PrimAttrMap['adam_update'] = {
    beta1: 0.9,
    beta2: 0.999,
    eps: 1e-8,
    weightDecay: 0,
    decoupled: false,
  };
  const sizes = [3, 1031, 1, 65, 2];

  /** Groups [p, g, m, v] in place: outputs [p, m, v] are the very input tensors. */
  function adamGroups(limit: number) {
    const inputShapes = sizes.flatMap((n) => [[n], [n], [n], [n]]);
    const outputShapes = sizes.flatMap((n) => [[n], [n], [n]]);
    const outputIds = sizes.flatMap((_, k) => [4 * k, 4 * k + 2, 4 * k + 3]);
    return plan('adam_update', adam, inputShapes, outputShapes, {
      outputIds,
      maxStorageBuffersPerShaderStage: limit,
    });
  }

  for (const [limit, expected] of [
    [4, [1, 1, 1, 1, 1]],
    [8, [2, 2, 1]],
    [12, [3, 2]],
    [1000, [5]],
  ] as const) {
    it(`adam over ${sizes.length} parameters binding at most ${limit} buffers`, () => {
      const ds = adamGroups(limit);
      // Each dispatch binds p, g, m, v of its groups, within the limit.
      expect(ds.map((d) => d.bindings.length / 4)).toEqual(expected);
      for (const d of ds) expect(d.bindings.length).toBeLessThanOrEqual(limit);
      // Every parameter is updated by exactly one dispatch, in order.
      const params = ds.flatMap((d) =>
        d.bindings.filter((b) => b.access === 'read_write' && b.operand.index % 4 === 0),
      );
      expect(params.map((b) => b.operand.index / 4)).toEqual(sizes.map((_, k) => k));
      // One invocation per vec4 of each of the chunk's parameters (the last one padded).
      const invocations = ds.map((d) => d.uniforms.find((u) => u.name === 'invocations')!.value);
      let at = 0;
      const chunkTotals = expected.map((count) => {
        const total = sizes.slice(at, at + count).reduce((a, b) => a + Math.ceil(b / 4), 0);
        at += count;
        return total;
      });
      expect(invocations).toEqual(chunkTotals);
    });
  }

  it('chunks of equally many parameters share one module, whatever their sizes', () => {
    const ds = adamGroups(8);
    expect(ds[0]!.code).toBe(ds[1]!.code);
    expect(ds[0]!.code).not.toBe(ds[2]!.code);
  });

  it('plain SGD binds two buffers a parameter, momentum SGD three', () => {
    const shapes = (width: number) =>
      sizes.flatMap((n) => Array.from({ length: width }, () => [n]));
    const plain = plan(
      'sgd_update',
      { momentum: 0, nesterov: false, weightDecay: 0 },
      shapes(2),
      shapes(1),
      { outputIds: sizes.map((_, k) => 2 * k), maxStorageBuffersPerShaderStage: 4 },
    );
    expect(plain).toHaveLength(3);
    const momentum = plan(
      'sgd_update',
      { momentum: 0.9, nesterov: false, weightDecay: 0 },
      shapes(3),
      shapes(2),
      {
        outputIds: sizes.flatMap((_, k) => [3 * k, 3 * k + 2]),
        maxStorageBuffersPerShaderStage: 7,
      },
    );
    expect(momentum.map((d) => d.bindings.length)).toEqual([6, 6, 3]);
  });

  it('refuses operand lists that do not cut into whole groups', () => {
    expect(() => plan('adam_update', adam, [[2], [2], [2]], [[2], [2]])).toThrow(
      /groups of 4 inputs and 3 outputs/,
    );
  });
});
