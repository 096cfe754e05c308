import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileFile, trainPlan, type CompiledFile } from '../../src/compiler/api.js';
import type { AnalysisResult } from '../../src/compiler/compile.js';
import { networkPlan } from '../../src/compiler/lower/plan.js';
import { summarizeNetwork } from '../../src/compiler/summary.js';
import { cpuStateBuffer, createCpuBackend } from '../../src/runtime/cpu/backend.js';
import { interpret } from '../../src/runtime/cpu/interpreter.js';
import type { Buffer } from '../../src/runtime/cpu/kernel.js';
import { cpuKernels } from '../../src/runtime/cpu/kernels/index.js';
import { instantiateModel, type Model } from '../../src/runtime/model.js';
import type { PrimAttrMap, Program, RunContext } from '../../src/runtime/program.js';
import {
  checkProgramShapes,
  runtimeShapeRules,
  ShapeError,
} from '../../src/runtime/runtimeShapes.js';
import { compileText } from '../helpers/compileText.js';

/*
 * The shapes inferred statically equal the shapes at run time for every node of every
 * example: each program the compiler builds for an example (inference, training-mode
 * forward, every phase of every train section, the evaluation) is walked with shapes
 * recomputed from the feeds and state by the run-time rules, as an eager framework would,
 * and small networks are also executed with the interpreter's shape check on.
 */

const examplesDir = fileURLToPath(new URL('../../examples/', import.meta.url));
const files = readdirSync(examplesDir)
  .filter((f) => f.endsWith('.net'))
  .sort();

function withoutErrors(analysis: AnalysisResult): AnalysisResult {
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((d) => `${d.code} ${d.message}`).join('\n'));
  return analysis;
}

const compiledFiles = new Map<string, CompiledFile>();

function compiled(file: string): CompiledFile {
  let result = compiledFiles.get(file);
  if (!result) {
    result = compileFile(join(examplesDir, file));
    withoutErrors(result.analysis);
    compiledFiles.set(file, result);
  }
  return result;
}

/** Every program the compiler builds for a file, by a readable name. */
function programsOf(analysis: AnalysisResult): [string, Program][] {
  const programs: [string, Program][] = [];
  for (const [name, network] of analysis.networks) {
    const plan = networkPlan(network);
    programs.push([`${name} inference`, plan.inference]);
    programs.push([`${name} training forward`, plan.trainingForward]);
  }
  for (const train of analysis.trains) {
    const plan = trainPlan(analysis, train).train!;
    for (const phase of plan.phases) {
      programs.push([`train ${train.name} phase ${phase.name}`, phase.program]);
    }
    programs.push([`train ${train.name} evaluation`, plan.evaluation]);
  }
  return programs;
}

const size = (shape: readonly number[]) => shape.reduce((a, d) => a * d, 1);
const context = (batch: number): RunContext => ({ batch, seed: 1, step: 0, lr: 0.01, t: 1 });

/** Runs `program` on the CPU interpreter with the shape check on; feeds hold 0/1 values. */
function runChecked(program: Program, model: Model, batch: number): Map<string, Buffer> {
  const feeds = Object.fromEntries(
    program.tensors
      .filter((t) => t.storage === 'feed')
      .map((t) => [t.name, Float32Array.from({ length: batch * size(t.shape) }, (_, i) => i % 2)]),
  );
  const state = {
    precision: 'float32' as const,
    checkShapes: true,
    get: (key: string) => cpuStateBuffer(model.state, key),
  };
  return interpret(cpuKernels, program, state, feeds, context(batch));
}

describe.each(files)('every program of %s', (file) => {
  it.each(programsOf(compiled(file).analysis))(
    '%s: run-time shapes equal the declared ones at batch 1 and 3',
    (_, program) => {
      expect(program.instrs.length).toBeGreaterThan(0);
      expect(checkProgramShapes(program, 1)).toEqual([]);
      expect(checkProgramShapes(program, 3)).toEqual([]);
    },
  );
});

/**
 * Executed for real only below this many multiply-adds per sample: the plain-loop CPU
 * interpreter needs seconds per billion, so VGG16 (15.5 G), ResNet-18 (1.8 G) and GoogLeNet
 * (1.6 G) rely on the propagation check above.
 */
const executedMacs = 300e6;

const executed = files.flatMap((file) =>
  Object.entries(compiled(file).networks)
    .filter(([, network]) => summarizeNetwork(network.ir).macs < executedMacs)
    .map(([name]) => [file, name] as const),
);

describe('running the small example networks with the shape check on', () => {
  it('leaves out only the three large ImageNet networks', () => {
    const skipped = files.flatMap((file) =>
      Object.keys(compiled(file).networks).filter(
        (name) => !executed.some(([f, n]) => f === file && n === name),
      ),
    );
    expect(skipped.sort()).toEqual(['GoogLeNet', 'ResNet18', 'VGG16']);
  });

  it.each(executed)('%s: %s inference returns outputs of the declared sizes', (file, name) => {
    const plan = compiled(file).networks[name]!.plan();
    const model = instantiateModel(plan, createCpuBackend(), { seed: 7 });
    const results = runChecked(plan.network.inference, model, 1);
    for (const output of plan.network.outputs) {
      expect(results.get(output.name)?.length, output.name).toBe(size(output.shape));
    }
  });

  const trained = files.flatMap((file) =>
    compiled(file).trains.map((train) => [file, train.name] as const),
  );
  it.each(trained)('%s: one step of every phase of %s and its evaluation run', (file, name) => {
    const { analysis, trains } = compiled(file);
    const plan = trainPlan(
      analysis,
      trains.find((t) => t.name === name)!,
    );
    const model = instantiateModel(plan, createCpuBackend(), { seed: 7 });
    for (const phase of plan.train!.phases) {
      expect(runChecked(phase.program, model, 3).get('loss')).toHaveLength(1);
    }
    expect(runChecked(plan.train!.evaluation, model, 3).get('loss')).toHaveLength(1);
  });
});

/*
 * Small sections that between them use the primitives the examples leave out: antialiased
 * pools (blur), transposed convolutions with output padding, upsampling, grouped
 * convolutions, concat's slices, layernorm, the unfused softmaxes, l1, l1 regularization and
 * the other optimizers.
 */
const beyondExamples: Record<string, string> = {
  'resampling layers and transposed convolutions': `
    network Decode(x: [1, 28, 28]) -> [1, 28, 28] {
      conv2d(4, 3, stride=2, pad=1) -> gelu                  // [4, 14, 14]
      conv2d(4, 3, pad=1, groups=2) -> elu                   // [4, 14, 14]
      maxpool(3, stride=2, pad=1, antialias=true)            // [4, 7, 7]
      avgpool(2, antialias=true)                             // [4, 3, 3]
      upsample(2, mode=bilinear) -> softplus                 // [4, 6, 6]
      conv_transpose2d(3, 3, stride=2, pad=1, output_pad=1)  // [3, 12, 12]
      upsample(2) -> conv_transpose2d(1, 5) -> sigmoid       // [1, 28, 28]
    }
    train Decode {
      data       = mnist(train=100, test=100)
      loss       = bce(output, x) + l1(output, x)
      optimizer  = rmsprop(lr=0.01, momentum=0.9)
      regularize = l1(0.01)
      batch      = 3
    }`,
  'branches, normalizations and softmaxes inside the network': `
    network Mix(x: [1, 28, 28]) -> [10] {
      s = x -> conv2d(4, 3, stride=2) -> batchnorm -> relu   // [4, 13, 13]
      c = s -> concat {
        conv2d(2, 1)
        conv2d(3, 3, pad=1) -> softmax(axis=0)
      }                                                      // [5, 13, 13]
      n = c -> layernorm -> identity
      t = n -> step(0.5)
      u = add(n, t)
      g = u -> global_maxpool                                // [5]
      a = u -> global_avgpool                                // [5]
      mul(g, a) -> dense(12) -> batchnorm -> log_softmax -> dense(10)
    }
    train Mix {
      data      = mnist(train=100, test=100)
      loss      = cross_entropy(output, label)
      optimizer = adagrad(lr=0.01)
      batch     = 3
    }`,
  'two networks trained from uniform noise with sgd and adamw': `
    network G(z: [8]) -> [1, 28, 28] {
      dense(49) -> reshape([1, 7, 7]) -> upsample(4) -> tanh
    }
    network D(x: [1, 28, 28]) -> [1] {
      conv2d(2, 4, stride=2, pad=1) -> leaky_relu(0.2) -> flatten -> dense(1) -> sigmoid
    }
    train GAN {
      data   = mnist(train=100, test=100)
      noise z: [8] ~ uniform(low=-1, high=1)
      batch  = 3
      phase discriminator {
        loss      = bce(D(x), 1) + bce(D(G(z)), 0)
        optimizer = sgd(lr=0.1, momentum=0.9, nesterov=true)
        update    = D
      }
      phase generator {
        loss      = bce(D(G(z)), 1)
        optimizer = adamw(lr=1e-3)
        update    = G
      }
    }`,
};

describe.each(Object.entries(beyondExamples))('a section with %s', (_, source) => {
  const analysis = withoutErrors(compileText(source));

  it.each(programsOf(analysis))('%s: run-time shapes equal the declared ones', (_, program) => {
    expect(checkProgramShapes(program, 1)).toEqual([]);
    expect(checkProgramShapes(program, 3)).toEqual([]);
  });

  it('runs one step of every phase with the shape check on', () => {
    const plan = trainPlan(analysis, analysis.trains[0]!);
    const model = instantiateModel(plan, createCpuBackend(), { seed: 7 });
    for (const phase of plan.train!.phases) {
      expect(runChecked(phase.program, model, 3).get('loss')).toHaveLength(1);
    }
  });
});

describe('the check can fail', () => {
  const lenet = () => compiled('lenet5.net').networks['LeNet5']!;
  /** LeNet-5's inference with the declared shape of its first convolution's output replaced. */
  function corrupted(shape: readonly number[]): Program {
    const program = lenet().plan().network.inference;
    const conv = program.instrs.find((instr) => instr.op === 'conv2d')!;
    const out = conv.outputs[0]!;
    return {
      ...program,
      tensors: program.tensors.map((t) => (t.id === out ? { ...t, shape } : t)),
    };
  }

  it('reports a convolution output declared with the wrong shape, with both shapes', () => {
    const program = lenet().plan().network.inference;
    const conv = program.instrs.find((instr) => instr.op === 'conv2d')!;
    const declared = program.tensors[conv.outputs[0]!]!;
    const [c, h, w] = declared.shape as [number, number, number];
    const problems = checkProgramShapes(corrupted([c, h - 1, w - 1]), 2);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('`conv2d`');
    expect(problems[0]).toContain(`\`${declared.name}\``);
    expect(problems[0]).toContain(`is [2, ${c}, ${h}, ${w}] at run time`);
    expect(problems[0]).toContain(`declared [2, ${c}, ${h - 1}, ${w - 1}]`);
  });

  it('reports a weight whose channels do not match the input', () => {
    const program = lenet().plan().network.inference;
    const conv = program.instrs.find((instr) => instr.op === 'conv2d')!;
    const weight = conv.inputs[1]!;
    const tensors = program.tensors.map((t) =>
      t.id === weight ? { ...t, shape: [t.shape[0]!, 3, ...t.shape.slice(2)] } : t,
    );
    const problems = checkProgramShapes({ ...program, tensors }, 1);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/`conv2d`.*input has 1 channels.*expects 3/);
  });

  it('reports a reshape that changes the element count, and one read of an unwritten tensor', () => {
    const program = lenet().plan({ fuse: false }).network.inference;
    const flatten = program.instrs.find((instr) => instr.op === 'reshape')!;
    const out = flatten.outputs[0]!;
    const tensors = program.tensors.map((t) => (t.id === out ? { ...t, shape: [401] } : t));
    const problems = checkProgramShapes({ ...program, tensors }, 1);
    // The reshape itself, then the dense layer reading 401 features.
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/`reshape`.*cannot reshape \[1, 16, 5, 5\] \(400 elements\)/);
    expect(problems[1]).toMatch(/`dense`.*input width 401/);

    const reordered = { ...program, instrs: [...program.instrs].reverse() };
    expect(checkProgramShapes(reordered, 1)[0]).toMatch(/before anything writes it/);
  });

  it('reports a view whose size differs from its source (fused programs)', () => {
    const program = lenet().plan().network.inference;
    const view = program.tensors.find((t) => t.view !== undefined)!;
    const tensors = program.tensors.map((t) => (t.id === view.id ? { ...t, shape: [401] } : t));
    expect(checkProgramShapes(program, 1)).toEqual([]);
    expect(checkProgramShapes({ ...program, tensors }, 1)[0]).toMatch(
      /the view `flatten_0` \[1, 401\] does not fit its source/,
    );
  });

  it('stops the interpreter before the kernel runs when checkShapes is on', () => {
    const model = instantiateModel(lenet().plan(), createCpuBackend(), { seed: 1 });
    const run = () => runChecked(corrupted([6, 27, 27]), model, 1);
    expect(run).toThrow(ShapeError);
    expect(run).toThrow(/`conv2d`.*declared \[1, 6, 27, 27\]/);
  });
});

describe('the run-time rules', () => {
  const conv: PrimAttrMap['conv2d'] = {
    filters: 8,
    kernel: [3, 3],
    stride: [2, 2],
    pad: [1, 1],
    dilation: [2, 2],
    groups: 2,
    bias: true,
    padMode: 'zeros',
  };
  const transpose: PrimAttrMap['conv_transpose2d'] = {
    filters: 4,
    kernel: [3, 3],
    stride: [2, 2],
    pad: [1, 1],
    outputPad: [1, 1],
    dilation: [1, 1],
    bias: false,
  };
  const pool = { kernel: [3, 3], stride: [2, 2], pad: [1, 1] } as const;

  it('compute PyTorch output sizes', () => {
    // nn.Conv2d(4, 8, 3, stride=2, padding=1, dilation=2, groups=2) on 7×9: floor((H−2)/2)+1.
    expect(runtimeShapeRules.conv2d(conv, [[3, 4, 7, 9], [8, 2, 3, 3], [8]], [])).toEqual([
      [3, 8, 3, 4],
    ]);
    // nn.ConvTranspose2d(2, 4, 3, stride=2, padding=1, output_padding=1) doubles 5×6.
    expect(
      runtimeShapeRules.conv_transpose2d(
        transpose,
        [
          [1, 2, 5, 6],
          [2, 4, 3, 3],
        ],
        [],
      ),
    ).toEqual([[1, 4, 10, 12]]);
    // nn.MaxPool2d(3, 2, 1) on 112 → 56; the blur at stride 2 on 7 → 4.
    expect(runtimeShapeRules.maxpool(pool, [[2, 64, 112, 112]], [])).toEqual([[2, 64, 56, 56]]);
    expect(runtimeShapeRules.blur({ stride: [2, 2] }, [[1, 3, 7, 8]], [])).toEqual([[1, 3, 4, 4]]);
    expect(runtimeShapeRules.upsample({ scale: 2, mode: 'bilinear' }, [[1, 3, 5, 6]], [])).toEqual([
      [1, 3, 10, 12],
    ]);
    expect(
      runtimeShapeRules.concat(
        { axis: 0 },
        [
          [2, 3, 4, 4],
          [2, 5, 4, 4],
        ],
        [],
      ),
    ).toEqual([[2, 8, 4, 4]]);
    expect(
      runtimeShapeRules.softmax_cross_entropy({ target: 'index' }, [[5, 10], [5]], []),
    ).toEqual([[]]);
    expect(runtimeShapeRules.bias_grad({}, [[2, 8, 3, 3]], [])).toEqual([[8]]);
    expect(
      runtimeShapeRules.conv2d_grad_weight(
        conv,
        [
          [3, 8, 3, 4],
          [3, 4, 7, 9],
        ],
        [],
      ),
    ).toEqual([[8, 2, 3, 3]]);
    expect(
      runtimeShapeRules.conv_transpose2d_grad_input(
        transpose,
        [
          [1, 4, 10, 12],
          [2, 4, 3, 3],
        ],
        [],
      ),
    ).toEqual([[1, 2, 5, 6]]);
  });

  it('take a strided convolution input gradient from its declaration, checked against dY', () => {
    // 7 and 8 both convolve to 3 at stride 2: which one is the forward input's business.
    const grad = (declared: number[]) =>
      runtimeShapeRules.conv2d_grad_input(
        conv,
        [
          [3, 8, 3, 4],
          [8, 2, 3, 3],
        ],
        [declared],
      );
    expect(grad([3, 4, 8, 9])).toEqual([[3, 4, 8, 9]]);
    expect(() => grad([3, 4, 9, 9])).toThrow(/vs dY/);
    expect(() => grad([3, 6, 8, 9])).toThrow(/channels/);
  });

  it.each([
    [
      'a convolution whose weight expects other channels',
      () => runtimeShapeRules.conv2d(conv, [[1, 6, 7, 9], [8, 2, 3, 3], [8]], []),
      /input has 6 channels/,
    ],
    [
      'a convolution without its bias',
      () =>
        runtimeShapeRules.conv2d(
          conv,
          [
            [1, 4, 7, 9],
            [8, 2, 3, 3],
          ],
          [],
        ),
      /expects 3 inputs/,
    ],
    [
      'a kernel larger than the padded input',
      () => runtimeShapeRules.conv2d(conv, [[1, 4, 2, 9], [8, 2, 3, 3], [8]], []),
      /does not fit/,
    ],
    [
      'an add of different shapes',
      () =>
        runtimeShapeRules.add(
          {},
          [
            [2, 16, 8, 8],
            [2, 32, 8, 8],
          ],
          [],
        ),
      /differ/,
    ],
    [
      'a dense input whose width is not the weight columns',
      () =>
        runtimeShapeRules.dense(
          { bias: false },
          [
            [4, 784],
            [10, 400],
          ],
          [],
        ),
      /input width 784/,
    ],
    [
      'a concat of different heights',
      () =>
        runtimeShapeRules.concat(
          { axis: 0 },
          [
            [1, 3, 4, 4],
            [1, 3, 5, 4],
          ],
          [],
        ),
      /off axis 0/,
    ],
    [
      'a reshape that changes the element count',
      () => runtimeShapeRules.reshape({}, [[1, 784]], [[1, 1, 28, 27]]),
      /cannot reshape/,
    ],
    [
      'class indices that are not one per row',
      () =>
        runtimeShapeRules.softmax_cross_entropy(
          { target: 'index' },
          [
            [5, 10],
            [5, 10],
          ],
          [],
        ),
      /index target/,
    ],
    [
      'a batchnorm with statistics of other channels',
      () =>
        runtimeShapeRules.batchnorm_infer({ eps: 1e-5 }, [[2, 6, 4, 4], [6], [6], [6], [5]], []),
      /running_var/,
    ],
    [
      'an Adam update with a missing moment',
      () =>
        runtimeShapeRules.adam_update(
          { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false },
          [[3], [3], [3]],
          [],
        ),
      /expects groups of 4 inputs/,
    ],
    [
      'a slice past the end of its axis',
      () => runtimeShapeRules.slice({ axis: 0, start: 6 }, [[1, 8, 2, 2]], [[1, 4, 2, 2]]),
      /slice from 6/,
    ],
  ] as const)('refuse %s', (_, run, message) => {
    expect(run).toThrow(ShapeError);
    expect(run).toThrow(message);
  });
});
