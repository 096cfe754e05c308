import { DiagnosticBag, type Diagnostic } from '../../src/compiler/diagnostics/diagnostic.js';
import type { IRNetwork, IRNode, IRParam, ValueId } from '../../src/compiler/ir/ir.js';
import type { Shape } from '../../src/compiler/ir/ops.js';
import type { ConstValue } from '../../src/compiler/resolve/values.js';
import type { Span } from '../../src/compiler/source.js';
import type { Expr } from '../../src/compiler/syntax/ast.js';
import { checkTrain, type TrainContext } from '../../src/compiler/train/checkTrain.js';
import type { TrainConfig } from '../../src/compiler/train/trainConfig.js';
import { parseTrain, testFile } from './parseTrain.js';

/*
 * Test fixtures: hand-built IR networks (only what train checking reads: inputs, outputs,
 * the op producing each output, named values, parameters and their owners) and a context
 * with a literal-only constant evaluator, so these tests depend on neither the resolver nor
 * the parser.
 */

const netFile = 'networks.net';
const nowhere: Span = { file: netFile, start: 0, end: 0 };
const origin = { span: nowhere, callSites: [] };

export interface NetworkSpec {
  readonly inputs: Readonly<Record<string, Shape>>;
  /** Output name (`output` for a single unnamed one) to shape and the op that computes it. */
  readonly outputs: Readonly<Record<string, readonly [Shape, string?]>>;
  /** Named values of the body (`code`), with their shapes. */
  readonly values?: Readonly<Record<string, Shape>>;
  /** Layer names; each gets a `weight` and a `bias` (omit for a network without parameters). */
  readonly layers?: readonly string[];
  /** Layers without parameters (`relu_0`). */
  readonly plainLayers?: readonly string[];
}

export interface TestNetwork {
  readonly network: IRNetwork;
  readonly namedValues: ReadonlyMap<string, ValueId>;
}

export function network(name: string, spec: NetworkSpec): TestNetwork {
  const nodes: IRNode[] = [];
  const params: IRParam[] = [];
  const inputs = Object.entries(spec.inputs).map(([inputName, shape]) => {
    const id = nodes.length;
    nodes.push({ id, op: 'input', name: inputName, inputs: [], shape, origin });
    return { name: inputName, value: id };
  });
  const layer = (layerName: string, op: string, shape: Shape, withParams: boolean): ValueId => {
    const id = nodes.length;
    const own: Record<string, number> = {};
    if (withParams) {
      for (const role of ['weight', 'bias'] as const) {
        own[role] = params.length;
        params.push({
          id: params.length,
          name: `${layerName}.${role}`,
          role,
          shape: [1],
          init: { kind: 'zeros' },
          trainable: true,
          regularized: role === 'weight',
          owner: layerName,
          origin,
        });
      }
    }
    nodes.push({
      id,
      op,
      attrs: {},
      name: layerName,
      inputs: [Math.max(0, id - 1)],
      shape,
      params: own,
      macs: 0,
      origin,
    } as unknown as IRNode);
    return id;
  };
  for (const layerName of spec.layers ?? []) layer(layerName, 'dense', [1], true);
  for (const layerName of spec.plainLayers ?? []) layer(layerName, 'relu', [1], false);
  const namedValues = new Map<string, ValueId>();
  for (const [valueName, shape] of Object.entries(spec.values ?? {})) {
    namedValues.set(valueName, layer(`${valueName}_layer`, 'relu', shape, false));
  }
  const outputs = Object.entries(spec.outputs).map(([outputName, [shape, op]], i) => ({
    name: outputName,
    value: layer(`${op ?? 'identity'}_out${i}`, op ?? 'identity', shape, false),
  }));
  return { network: { name, inputs, outputs, nodes, params, span: nowhere }, namedValues };
}

/** The networks the tests train, in the shapes of the examples of LANGUAGE §8. */
export const nets = {
  LeNet5: network('LeNet5', {
    inputs: { x: [1, 28, 28] },
    outputs: { output: [[10], 'softmax'] },
    layers: ['conv2d_0', 'conv2d_1', 'dense_0', 'dense_1', 'dense_2'],
  }),
  Logits: network('Logits', {
    inputs: { x: [1, 28, 28] },
    outputs: { output: [[10], 'dense'] },
    layers: ['dense_0'],
  }),
  MLP: network('MLP', {
    inputs: { x: [784] },
    outputs: { output: [[10], 'softmax'] },
    layers: ['dense_0', 'dense_1'],
  }),
  Xor: network('Xor', {
    inputs: { x: [2] },
    outputs: { output: [[1], 'sigmoid'] },
    layers: ['dense_0', 'dense_1'],
  }),
  XorLogit: network('XorLogit', {
    inputs: { x: [2] },
    outputs: { output: [[1], 'dense'] },
    layers: ['dense_0'],
  }),
  Spiral: network('Spiral', {
    inputs: { pt: [2] },
    outputs: { output: [[3], 'dense'] },
    layers: ['dense_0'],
  }),
  Sparse: network('Sparse', {
    inputs: { img: [1, 28, 28] },
    outputs: { output: [[1, 28, 28], 'sigmoid'] },
    values: { code: [32] },
    layers: ['encoder', 'decoder'],
  }),
  VAE: network('VAE', {
    inputs: { x: [784] },
    outputs: { recon: [[784], 'sigmoid'], mu: [[20], 'dense'], logvar: [[20], 'dense'] },
    layers: ['dense_0', 'dense_1'],
  }),
  G: network('G', {
    inputs: { z: [100] },
    outputs: { output: [[1, 28, 28], 'tanh'] },
    layers: ['dense_0'],
  }),
  D: network('D', {
    inputs: { x: [1, 28, 28] },
    outputs: { output: [[1], 'sigmoid'] },
    layers: ['dense_0'],
  }),
  Siamese: network('Siamese', {
    inputs: { a: [1, 28, 28], b: [1, 28, 28] },
    outputs: { ea: [[32], 'dense'], eb: [[32], 'dense'] },
    layers: ['enc.dense_0'],
  }),
  Pair: network('Pair', {
    inputs: { a: [1, 28, 28], b: [1, 28, 28] },
    outputs: { output: [[1], 'sigmoid'] },
    layers: ['dense_0'],
  }),
  Flat: network('Flat', {
    inputs: { x: [1, 28, 28] },
    outputs: { output: [[784], 'sigmoid'] },
    layers: ['dense_0'],
  }),
  Encoder: network('Encoder', {
    inputs: { x: [1, 28, 28] },
    outputs: { output: [[32], 'dense'] },
    layers: ['dense_0'],
  }),
  Transfer: network('Transfer', {
    inputs: { x: [1, 28, 28] },
    outputs: { output: [[10], 'softmax'] },
    layers: ['features.conv2d_0', 'features.conv2d_1', 'head.dense_0'],
    plainLayers: ['features.relu_0'],
  }),
  Table: network('Table', {
    inputs: { x: [4] },
    outputs: { output: [[3], 'softmax'] },
    layers: ['dense_0'],
  }),
  Identity: network('Identity', { inputs: { x: [2] }, outputs: { output: [[2], 'identity'] } }),
} as const;

/** A constant evaluator that knows literals, lists, arithmetic and the given `const`s. */
export function literalEvaluator(
  consts: Readonly<Record<string, ConstValue>>,
  diagnostics: DiagnosticBag,
) {
  const evaluate = (expr: Expr): ConstValue | undefined => {
    switch (expr.kind) {
      case 'Number':
        return { kind: expr.isInteger ? 'int' : 'float', value: expr.value };
      case 'String':
        return { kind: 'string', value: expr.value };
      case 'Boolean':
        return { kind: 'bool', value: expr.value };
      case 'Name':
        return consts[expr.name] ?? { kind: 'symbol', name: expr.name };
      case 'List':
      case 'Tuple': {
        const items = expr.items.map(evaluate);
        if (items.some((i) => i === undefined)) return undefined;
        return { kind: expr.kind === 'List' ? 'list' : 'tuple', items: items as ConstValue[] };
      }
      case 'Group':
        return evaluate(expr.expr);
      case 'Unary': {
        const operand = evaluate(expr.operand);
        if (operand?.kind === 'int' || operand?.kind === 'float') {
          return {
            kind: operand.kind,
            value: expr.operator === '-' ? -operand.value : operand.value,
          };
        }
        break;
      }
      case 'Binary': {
        const left = evaluate(expr.left);
        const right = evaluate(expr.right);
        const numeric = (v: ConstValue | undefined) => v?.kind === 'int' || v?.kind === 'float';
        if (left && right && numeric(left) && numeric(right)) {
          const a = (left as { value: number }).value;
          const b = (right as { value: number }).value;
          const int = left.kind === 'int' && right.kind === 'int' && expr.operator !== '/';
          const value =
            expr.operator === '+'
              ? a + b
              : expr.operator === '-'
                ? a - b
                : expr.operator === '*'
                  ? a * b
                  : a / b;
          return { kind: int ? 'int' : 'float', value };
        }
        break;
      }
      default:
        break;
    }
    diagnostics.error('NETC2011', expr.span, 'not a compile-time value');
    return undefined;
  };
  return evaluate;
}

export interface CheckOptions {
  readonly broken?: readonly string[];
  readonly consts?: Readonly<Record<string, ConstValue>>;
}

export interface CheckResult {
  readonly config: TrainConfig | undefined;
  readonly diagnostics: readonly Diagnostic[];
  readonly errors: readonly Diagnostic[];
  /** The source text a diagnostic's span covers. */
  readonly at: (diagnostic: Diagnostic) => string;
}

/** Parses `source` (one train section) and checks it against `networks`. */
export function check(
  source: string,
  networks: readonly TestNetwork[],
  options: CheckOptions = {},
): CheckResult {
  const diagnostics = new DiagnosticBag();
  const ctx: TrainContext = {
    networks: new Map(networks.map((n) => [n.network.name, n.network])),
    brokenNetworks: new Set(options.broken ?? []),
    evalConst: literalEvaluator(options.consts ?? {}, diagnostics),
    diagnostics,
    baseDir: '/project/examples',
    namedValues: (name) => networks.find((n) => n.network.name === name)?.namedValues ?? new Map(),
  };
  const config = checkTrain(parseTrain(source), ctx);
  return {
    config,
    diagnostics: diagnostics.items,
    errors: diagnostics.items.filter((d) => d.severity === 'error'),
    at: (d) =>
      d.span.file === testFile ? source.slice(d.span.start, d.span.end) : `<${d.span.file}>`,
  };
}
