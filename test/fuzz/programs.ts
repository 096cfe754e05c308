import fc from 'fast-check';

/*
 * An arbitrary for random but syntactically valid `.net` programs built from the constructs of
 * LANGUAGE.md: constants, blocks with typed parameters and defaults, networks with chains of
 * layers and random arguments, bindings, `let`, `return`, `repeat`, `residual`, `concat`,
 * `add`, `if/then/else`, groups, named layers, shape ascriptions, and train sections with
 * phases and noise. Names and shapes are drawn from small pools, so programs often refer to
 * each other and are sometimes well-typed; the generator never writes a syntax error.
 */

const pick = <T>(...values: T[]) => fc.constantFrom(...values);

/** `null` most of the time, a value now and then. */
const rarely = <T>(arbitrary: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 5, arbitrary: fc.constant(null) }, { weight: 1, arbitrary });

const smallInt = fc.integer({ min: 0, max: 9 }).map(String);
const size = pick('1', '2', '3', '4', '8', '16', '28', '64');
const kernel = pick('1', '2', '3', '5', '7', '(1, 3)', '(3, 3)');
const probability = pick('0', '0.1', '0.5', '0.9', '1', '1.5');

/** A compile-time expression: numbers, constants, block parameters, arithmetic, `if`. */
const intExpr: fc.Arbitrary<string> = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { maxDepth: 2, withCrossShrink: true },
    size,
    pick('k0', 'k1', 'c', 's', 'i', 'n'),
    fc
      .tuple(tie('expr'), pick('+', '-', '*', '/', '%'), tie('expr'))
      .map(([a, op, b]) => `${a} ${op} ${b}`),
    fc.tuple(tie('expr')).map(([a]) => `(${a})`),
    fc
      .tuple(condition(tie('expr')), tie('expr'), tie('expr'))
      .map(([c, a, b]) => `(if ${c} then ${a} else ${b})`),
  ),
})).expr;

/** A condition with at most one comparison on each side of `and`/`or` (no chained comparisons). */
function condition(operand: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const comparison = fc
    .tuple(operand, pick('==', '!=', '<', '<=', '>', '>='), operand)
    .map(([a, op, b]) => `(${a}) ${op} (${b})`);
  return fc.oneof(
    pick('true', 'false', 'flag'),
    comparison,
    fc.tuple(comparison, pick('and', 'or'), comparison).map(([a, op, b]) => `${a} ${op} ${b}`),
    comparison.map((c) => `not (${c})`),
  );
}

const shapeList = fc
  .array(fc.oneof(size, pick('k0', '-1', '0')), { minLength: 1, maxLength: 4 })
  .map((dims) => `[${dims.join(', ')}]`);

const padding = fc.oneof(pick('same', 'valid', '0', '1', '2', '(1, 2)'), intExpr);

/** Calls of built-in layers with random (positional first, then named) arguments. */
const opCall: fc.Arbitrary<string> = fc.oneof(
  pick(
    'relu',
    'sigmoid',
    'tanh',
    'softplus',
    'gelu',
    'identity',
    'flatten',
    'global_avgpool',
    'global_maxpool',
    'batchnorm',
    'layernorm',
    'log_softmax',
    'softmax',
    'step',
    'elu',
    'leaky_relu',
  ),
  fc
    .tuple(intExpr, pick('', ', bias=false', ', init=he', ', init=normal(0.02)'))
    .map(([units, extra]) => `dense(${units}${extra})`),
  fc
    .tuple(
      intExpr,
      kernel,
      fc.option(intExpr),
      fc.option(padding),
      pick('', ', groups=2', ', bias=false', ', pad_mode=reflect', ', dilation=2'),
    )
    .map(
      ([f, k, s, p, extra]) =>
        `conv2d(${f}, ${k}${s === null ? '' : `, stride=${s}`}${p === null ? '' : `, pad=${p}`}${extra})`,
    ),
  fc
    .tuple(pick('maxpool', 'avgpool'), kernel, fc.option(smallInt), fc.option(padding))
    .map(
      ([op, k, s, p]) =>
        `${op}(${k}${s === null ? '' : `, stride=${s}`}${p === null ? '' : `, pad=${p}`})`,
    ),
  fc
    .tuple(intExpr, kernel, smallInt)
    .map(([f, k, s]) => `conv_transpose2d(${f}, ${k}, stride=${s})`),
  probability.map((p) => `dropout(${p})`),
  probability.map((p) => `gaussian_noise(${p})`),
  probability.map((p) => `leaky_relu(${p})`),
  fc
    .tuple(pick('0.9', '-1', '1e-5'), pick('1e-5', '0'))
    .map(([m, e]) => `batchnorm(momentum=${m}, eps=${e})`),
  pick('-1', '0', '1', '2').map((axis) => `softmax(axis=${axis})`),
  shapeList.map((shape) => `reshape(${shape})`),
  pick('2', '3').map((scale) => `upsample(${scale})`),
);

/** Calls of the blocks the program may define (and of some it does not). */
const blockCall = fc.oneof(
  pick('B0', 'B1', 'N0', 'N1', 'enc', 'Missing'),
  fc.tuple(pick('B0', 'B1', 'Missing'), intExpr).map(([b, n]) => `${b}(${n})`),
  fc.tuple(pick('B0', 'B1'), intExpr, intExpr).map(([b, n, s]) => `${b}(${n}, s=${s})`),
  pick('B1(3, act=relu)', 'B1(4, act=(dense(4) -> tanh))', 'N0(x)', 'N1(a, b)'),
);

const valueName = pick('x', 'a', 'b', 'h0', 'h1', 'h2', 'mu', 'logvar');

/**
 * Layers, chains and the combinators, recursively. A step is `[name:] core [: shape]`, as in
 * the grammar: at most one name and one ascription per step.
 */
const layers = fc.letrec<{
  step: string;
  core: string;
  chain: string;
  body: string;
  branches: string;
}>((tie) => ({
  step: fc
    .tuple(rarely(pick('c1', 'c2', 'fc', 'features')), tie('core'), rarely(shapeList))
    .map(
      ([name, core, shape]) =>
        `${name === null ? '' : `${name}: `}${core}${shape === null ? '' : ` : ${shape}`}`,
    ),
  core: fc.oneof(
    { maxDepth: 3, depthIdentifier: 'layer', withCrossShrink: true },
    opCall,
    blockCall,
    tie('chain').map((c) => `(${c})`),
    fc
      .tuple(condition(intExpr), tie('chain'), tie('chain'))
      .map(([c, a, b]) => `(if ${c} then ${a} else ${b})`),
    fc
      .tuple(fc.oneof(smallInt, pick('k0', 'n', 'c - 1')), tie('body'))
      .map(([n, body]) => `repeat(${n}) ${body}`),
    fc.tuple(smallInt, tie('body')).map(([n, body]) => `repeat(${n}, i) ${body}`),
    tie('body').map((body) => `residual ${body}`),
    fc.tuple(tie('chain'), tie('body')).map(([s, body]) => `residual(shortcut = ${s}) ${body}`),
    fc.tuple(pick('concat', 'add'), tie('branches')).map(([op, b]) => `${op} ${b}`),
    fc
      .tuple(pick('concat', 'add', 'mul', 'sample_normal'), valueName, valueName)
      .map(([op, a, b]) => `${op}(${a}, ${b})`),
    fc.tuple(valueName, valueName).map(([a, b]) => `concat(${a}, ${b}, axis=0)`),
  ),
  chain: fc.array(tie('step'), { minLength: 1, maxLength: 3 }).map((steps) => steps.join(' -> ')),
  body: fc.array(tie('chain'), { minLength: 0, maxLength: 3 }).map(bodyText),
  branches: fc.array(tie('chain'), { minLength: 1, maxLength: 3 }).map(bodyText),
}));

function bodyText(lines: readonly string[]): string {
  return lines.length === 0 ? '{ }' : `{\n${lines.map((l) => `    ${l}`).join('\n')}\n  }`;
}

/** One statement of a network or block body. */
const statement = fc.oneof(
  { weight: 4, arbitrary: layers.chain },
  {
    weight: 2,
    arbitrary: fc
      .tuple(pick('h0', 'h1', 'h2', 'mu', 'logvar'), valueName, layers.chain)
      .map(([v, from, c]) => `${v} = ${from} -> ${c}`),
  },
  { weight: 1, arbitrary: fc.tuple(pick('h0', 'h1'), layers.chain).map(([v, c]) => `${v} = ${c}`) },
  {
    weight: 1,
    arbitrary: fc.tuple(pick('enc', 'shared'), blockCall).map(([v, c]) => `let ${v} = ${c}`),
  },
  {
    weight: 1,
    arbitrary: fc
      .array(valueName, { minLength: 1, maxLength: 3 })
      .map((vs) => `return ${vs.join(', ')}`),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(valueName, layers.chain, shapeList)
      .map(([v, c, s]) => `${v} : ${s} -> ${c}`),
  },
);

const statements = fc.array(statement, { minLength: 0, maxLength: 6 });

const inputShape = pick(
  '[4]',
  '[16]',
  '[2]',
  '[784]',
  '[3, 8, 8]',
  '[1, 28, 28]',
  '[16, 4, 4]',
  '[k0]',
);

const networkDecl = fc
  .tuple(
    pick('N0', 'N1', 'N2'),
    fc.array(fc.tuple(pick('x', 'a', 'b'), inputShape), { minLength: 1, maxLength: 2 }),
    fc.oneof(
      pick(''),
      inputShape.map((s) => ` -> ${s}`),
      fc.tuple(inputShape, inputShape).map(([s, t]) => ` -> (mu: ${s}, logvar: ${t})`),
    ),
    statements,
    fc.boolean(),
  )
  .map(([name, inputs, outputs, body, doc]) => {
    const params = inputs.map(([n, s]) => `${n}: ${s}`).join(', ');
    const comment = doc ? `/// The network ${name}.\n` : '';
    return `${comment}network ${name}(${params})${outputs} {\n${body.map((s) => `  ${s}`).join('\n')}\n}`;
  });

const blockParam = fc.oneof(
  pick(
    'c: int',
    's: int = 1',
    'act: layer = relu',
    'flag: bool = true',
    'p: float = 0.5',
    'mode = same',
    'n',
  ),
);

const blockDecl = fc
  .tuple(pick('B0', 'B1'), fc.uniqueArray(blockParam, { maxLength: 3 }), statements)
  .map(([name, params, body]) => {
    const list = params.length ? `(${params.join(', ')})` : '';
    return `block ${name}${list} {\n${body.map((s) => `  ${s}`).join('\n')}\n}`;
  });

const constDecl = fc
  .tuple(pick('k0', 'k1', 'flag'), fc.oneof(intExpr, condition(intExpr)))
  .map(([name, value]) => `const ${name} = ${value}`);

const importDecl = pick(
  'import "./lib.net"',
  'import { L0 } from "./lib.net"',
  'import { L0, Nope } from "./lib.net"',
  'import "./missing.net"',
);

const dataSource = pick(
  'mnist',
  'mnist(train=100, test=10)',
  'mnist(pairs=true)',
  'mnist(train=60000)',
  'xor',
  'moons(n=50)',
  'spirals(classes=3)',
  'csv("t.csv", label="y")',
  'idx("i", "l")',
  'cifar',
);
const lossExpr = pick(
  'cross_entropy(output, label)',
  'mse(output, x)',
  'bce(output, 1)',
  'mse(h0, x) + 1e-3 * l1(h1)',
  'bce(recon, x) + kl_normal(mu, logvar)',
  'contrastive(a, b, same)',
  'bce(N0(x), 1) + bce(N0(N1(z)), 0)',
  'mse(output, x) - l1(output)',
  'output',
  'crossentropy(output, label)',
);
const setting = fc.oneof(
  dataSource.map((d) => `data = ${d}`),
  lossExpr.map((l) => `loss = ${l}`),
  pick(
    'adam(lr=1e-3)',
    'sgd(lr=0.1, momentum=0.9, nesterov=true)',
    'rmsprop(0.01)',
    'adamw(lr=-1)',
    'Adam',
  ).map((o) => `optimizer = ${o}`),
  pick(
    'step(every=5, gamma=0.5)',
    'cosine(total=10)',
    'constant',
    'inverse(0.1)',
    'exponential(gamma=0)',
  ).map((s) => `schedule = ${s}`),
  pick('l2(5e-4)', 'l1(1e-5)', 'l3(1)').map((r) => `regularize = ${r}`),
  fc
    .tuple(pick('batch', 'epochs', 'seed', 'validation'), pick('0', '1', '64', '0.1', '1e9', '-3'))
    .map(([k, v]) => `${k} = ${v}`),
  pick('[accuracy]', '[accuracy, f1, confusion]', '[mse, mae]', '[acc]').map(
    (m) => `metrics = ${m}`,
  ),
  pick('standard', 'none', 'zscore').map((n) => `normalize = ${n}`),
  pick('[shift(2), flip_horizontal]', '[brightness(0.1)]', '[rotate(3)]').map(
    (a) => `augment = ${a}`,
  ),
  pick('"w.safetensors"', 'w').map((w) => `weights = ${w}`),
  pick('[c1]', '[features, fc]', '[nothing]').map((f) => `freeze = ${f}`),
  pick('z: [100] ~ normal', 'z: [4] ~ uniform(low=-1, high=1)', 'x: [2] ~ gaussian').map(
    (n) => `noise ${n}`,
  ),
  pick('learning_rate = 0.1', 'update = N0'),
);
const phase = fc
  .tuple(
    pick('d', 'g', 'd'),
    pick('', '(steps=2)', '(steps=0)'),
    fc.array(fc.oneof(setting, pick('update = N0', 'update = [N0, N1]', 'update = N9')), {
      maxLength: 4,
    }),
  )
  .map(
    ([name, args, entries]) =>
      `phase ${name}${args} {\n${entries.map((e) => `    ${e}`).join('\n')}\n  }`,
  );

const trainDecl = fc
  .tuple(
    pick('N0', 'N1', 'GAN'),
    fc.array(fc.oneof({ weight: 4, arbitrary: setting }, { weight: 1, arbitrary: phase }), {
      maxLength: 8,
    }),
  )
  .map(([target, entries]) => `train ${target} {\n${entries.map((e) => `  ${e}`).join('\n')}\n}`);

const definition = fc.oneof(
  { weight: 1, arbitrary: constDecl },
  { weight: 2, arbitrary: blockDecl },
  { weight: 4, arbitrary: networkDecl },
  { weight: 2, arbitrary: trainDecl },
  { weight: 1, arbitrary: importDecl },
);

/** A whole program: definitions separated by blank lines or `;`. */
export const program: fc.Arbitrary<string> = fc
  .tuple(fc.array(definition, { minLength: 1, maxLength: 6 }), pick('\n\n', '\n', ';\n'))
  .map(([definitions, separator]) => definitions.join(separator) + '\n');

/** A small library the programs may import. */
export const library = `block L0(c: int = 4) {\n  dense(c) -> relu\n}\n`;

/*
 * Well-typed programs: the generator tracks the shape after every step, so every program it
 * writes must compile without errors. Together with `program` above, this reaches both the
 * error paths and the code behind them (IR building, verification, train sections).
 */

type Step = (
  shape: readonly number[],
  index: number,
) => { text: string; shape: number[] } | undefined;

const vectorSteps: readonly Step[] = [
  (_s, i) => ({ text: `dense(${[3, 8, 16][i % 3]})`, shape: [[3, 8, 16][i % 3]!] }),
  (s) => ({ text: 'relu', shape: [...s] }),
  (s, i) => ({
    text: [
      'sigmoid',
      'tanh',
      'gelu',
      'softplus',
      'elu(1.0)',
      'leaky_relu(0.1)',
      'step',
      'identity',
    ][i % 8]!,
    shape: [...s],
  }),
  (s) => ({ text: 'dropout(0.25) -> gaussian_noise(0.1)', shape: [...s] }),
  (s, i) => ({ text: i % 2 ? 'batchnorm' : 'layernorm(eps=1e-6)', shape: [...s] }),
  (s) => ({ text: `residual { dense(${s[0]}) -> relu }`, shape: [...s] }),
  (s, i) => ({ text: `repeat(${i % 3}) { dense(${s[0]}) -> tanh }`, shape: [...s] }),
  (s, i) => ({
    text: `repeat(2, j) { dense(${s[0]} + j * 0) }`,
    shape: [...s],
    ...(i < 0 ? {} : {}),
  }),
  () => ({ text: 'concat {\n    dense(4) -> relu\n    dense(6)\n  }', shape: [10] }),
  (s) => ({ text: `add {\n    dense(${s[0]})\n    identity\n  }`, shape: [...s] }),
  (_s, i) => ({ text: `l${i}: dense(5) : [5]`, shape: [5] }),
  (s, i) => ({ text: `(if ${i} > 2 then relu else tanh)`, shape: [...s] }),
  (s) => ({ text: 'Mix(2)', shape: [...s] }),
];

const imageSteps: readonly Step[] = [
  ([, h, w], i) => ({
    text: `conv2d(${4 + (i % 3)}, ${[1, 3, 5][i % 3]}, pad=same)`,
    shape: [4 + (i % 3), h!, w!],
  }),
  (s) => ({ text: 'batchnorm -> relu', shape: [...s] }),
  ([c, h, w]) =>
    h! >= 2 && w! >= 2
      ? { text: 'maxpool(2)', shape: [c!, Math.floor(h! / 2), Math.floor(w! / 2)] }
      : undefined,
  ([c, h, w]) =>
    h! >= 3 ? { text: 'avgpool(3, stride=1, pad=1)', shape: [c!, h!, w!] } : undefined,
  ([c, h, w]) => ({
    text: `residual { conv2d(${c}, 3, pad=same) -> batchnorm }`,
    shape: [c!, h!, w!],
  }),
  ([c, h, w]) => ({
    text: `residual(shortcut = conv2d(${c! * 2}, 1, stride=2)) {\n    conv2d(${c! * 2}, 3, stride=2, pad=1)\n  }`,
    shape: [c! * 2, Math.floor((h! - 1) / 2) + 1, Math.floor((w! - 1) / 2) + 1],
  }),
  ([, h, w]) => ({
    text: 'concat {\n    conv2d(2, 1)\n    conv2d(3, 3, pad=same) -> relu\n    maxpool(3, stride=1, pad=same) -> conv2d(1, 1)\n  }',
    shape: [6, h!, w!],
  }),
  ([c, h, w]) => (h! <= 16 ? { text: 'upsample(2)', shape: [c!, h! * 2, w! * 2] } : undefined),
  ([c, h, w]) => ({
    text: `conv_transpose2d(${c}, 2, stride=2) -> conv2d(${c}, 2, stride=2)`,
    shape: [c!, h!, w!],
  }),
  ([c, h, w]) => ({ text: `conv2d(${c! * 2}, 3, pad=same, groups=${c})`, shape: [c! * 2, h!, w!] }),
  ([c, h, w]) => ({ text: `dropout(0.1) : [${c}, ${h}, ${w}]`, shape: [c!, h!, w!] }),
];

function runSteps(
  start: readonly number[],
  steps: readonly Step[],
  choices: readonly number[],
): { lines: string[]; shape: readonly number[] } {
  let shape = start;
  const lines: string[] = [];
  choices.forEach((choice, index) => {
    const applied = steps[choice % steps.length]!(shape, index);
    if (!applied) return;
    lines.push(applied.text);
    shape = applied.shape;
  });
  return { lines, shape };
}

const optimizer = pick(
  'adam(lr=1e-3)',
  'sgd(lr=0.1, momentum=0.9, nesterov=true)',
  'adagrad(lr=0.01)',
  'rmsprop(lr=0.01)',
  'adamw(lr=1e-3, weight_decay=0.01)',
);
const extraSettings = fc.subarray([
  'schedule = step(every=2, gamma=0.5)',
  'regularize = l2(5e-4)',
  'batch = 32',
  'epochs = 3',
  'validation = 0.1',
  'seed = 7',
  'metrics = [accuracy, f1]',
]);

/** A vector classifier for the 2-D toy data, or an image classifier for MNIST, with its train section. */
export const wellTypedProgram: fc.Arbitrary<string> = fc
  .tuple(
    fc.boolean(),
    fc.array(fc.nat(), { maxLength: 8 }),
    optimizer,
    extraSettings,
    pick('xor', 'moons(n=100)', 'spirals(classes=2)'),
  )
  .map(([image, choices, opt, extras, toyData]) => {
    const mix = 'block Mix(k: int = 2) {\n  repeat(k) { relu -> identity }\n}\n\n';
    const input = image ? [1, 28, 28] : [2];
    const body = runSteps(input, image ? imageSteps : vectorSteps, choices);
    const head = image
      ? [
          body.shape.length === 3 && body.shape[1]! % 2 === 0 ? 'global_avgpool' : 'flatten',
          'dense(10)',
        ]
      : ['dense(2)'];
    const classes = image ? 10 : 2;
    const data = image ? 'mnist(train=100, test=10)' : toyData;
    const lines = [...body.lines, ...head].map((l) => `  ${l}`).join('\n');
    const settings = [
      `data = ${data}`,
      'loss = cross_entropy(output, label)',
      `optimizer = ${opt}`,
      ...extras,
    ];
    return (
      `${mix}network Net(x: [${input.join(', ')}]) -> [${classes}] {\n${lines}\n}\n\n` +
      `train Net {\n${settings.map((s) => `  ${s}`).join('\n')}\n}\n`
    );
  });
