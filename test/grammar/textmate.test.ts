import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { innermostScope, scopesInOrder, tokenize, tokenizeSource } from './tokenize.js';

type Expectation = readonly [text: string, scope: string];

interface Case {
  readonly name: string;
  readonly source: string;
  readonly expected: readonly Expectation[];
}

const readJson = (path: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../grammar/${path}`, import.meta.url), 'utf8'));

describe('the TextMate grammar file', () => {
  it('declares the netc scope and the .net file type', () => {
    expect(readJson('netc.tmLanguage.json')).toMatchObject({
      scopeName: 'source.netc',
      fileTypes: ['net'],
    });
  });

  it('comes with a language configuration for comments, brackets and auto-closing', () => {
    expect(readJson('language-configuration.json')).toMatchObject({
      comments: { lineComment: '//', blockComment: ['/*', '*/'] },
      brackets: [
        ['{', '}'],
        ['[', ']'],
        ['(', ')'],
      ],
      autoClosingPairs: expect.arrayContaining([
        { open: '(', close: ')' },
        { open: '"', close: '"', notIn: ['string', 'comment'] },
      ]),
    });
  });

  it('uses regular expressions that compile, in the language configuration', () => {
    const configuration = readJson('language-configuration.json') as {
      wordPattern: string;
      indentationRules: Record<string, string>;
      onEnterRules: { beforeText: string }[];
    };
    const patterns = [
      configuration.wordPattern,
      ...Object.values(configuration.indentationRules),
      ...configuration.onEnterRules.map((rule) => rule.beforeText),
    ];
    expect(patterns.map((pattern) => new RegExp(pattern).source)).toHaveLength(4);
    expect(new RegExp(configuration.onEnterRules[0]?.beforeText ?? '').test('  /// doc')).toBe(
      true,
    );
    expect(new RegExp(configuration.onEnterRules[0]?.beforeText ?? '').test('  //// no')).toBe(
      false,
    );
  });
});

const wellFormed: readonly Case[] = [
  {
    name: 'a LeNet network',
    source: `network LeNet5(x: [1, 28, 28]) -> [10] {
  c1: conv2d(6, 5, pad=2) -> tanh -> avgpool(2)
  conv2d(16, 5) : [16, 10, 10] -> tanh
  flatten
  dense(10)
}`,
    expected: [
      ['network', 'storage.type.network.netc'],
      ['LeNet5', 'entity.name.type.network.netc'],
      ['(', 'punctuation.section.parens.begin.netc'],
      ['x', 'variable.parameter.netc'],
      [':', 'keyword.operator.type.annotation.netc'],
      ['[', 'punctuation.section.brackets.begin.netc'],
      ['1', 'constant.numeric.integer.netc'],
      [',', 'punctuation.separator.comma.netc'],
      [']', 'punctuation.section.brackets.end.netc'],
      [')', 'punctuation.section.parens.end.netc'],
      ['->', 'keyword.operator.chain.netc'],
      ['10', 'constant.numeric.integer.netc'],
      ['{', 'punctuation.section.block.begin.netc'],
      ['c1', 'entity.name.tag.layer.netc'],
      [':', 'punctuation.separator.layer-name.netc'],
      ['conv2d', 'support.function.layer.netc'],
      ['6', 'constant.numeric.integer.netc'],
      ['pad', 'variable.parameter.netc'],
      ['=', 'keyword.operator.assignment.netc'],
      ['2', 'constant.numeric.integer.netc'],
      ['->', 'keyword.operator.chain.netc'],
      ['tanh', 'support.function.layer.netc'],
      ['avgpool', 'support.function.layer.netc'],
      ['conv2d', 'support.function.layer.netc'],
      [':', 'keyword.operator.type.annotation.netc'],
      ['16', 'constant.numeric.integer.netc'],
      ['flatten', 'support.function.layer.netc'],
      ['dense', 'support.function.layer.netc'],
      ['}', 'punctuation.section.block.end.netc'],
    ],
  },
  {
    name: 'a block with typed parameters and defaults',
    source: `block ConvBN(out: int, stride: int = 1, act: layer = relu, pad: symbol = same, p) {
  conv2d(out, 3, stride=stride, pad=pad, bias=false, init=he)
}`,
    expected: [
      ['block', 'storage.type.block.netc'],
      ['ConvBN', 'entity.name.function.block.netc'],
      ['out', 'variable.parameter.netc'],
      ['int', 'support.type.primitive.netc'],
      ['stride', 'variable.parameter.netc'],
      ['int', 'support.type.primitive.netc'],
      ['=', 'keyword.operator.assignment.netc'],
      ['1', 'constant.numeric.integer.netc'],
      ['act', 'variable.parameter.netc'],
      ['layer', 'support.type.primitive.netc'],
      ['relu', 'support.function.layer.netc'],
      ['pad', 'variable.parameter.netc'],
      ['symbol', 'support.type.primitive.netc'],
      ['same', 'support.constant.option.netc'],
      ['p', 'variable.parameter.netc'],
      ['conv2d', 'support.function.layer.netc'],
      ['out', 'meta.definition.block.netc'],
      ['stride', 'variable.parameter.netc'],
      ['stride', 'meta.definition.block.netc'],
      ['bias', 'variable.parameter.netc'],
      ['false', 'constant.language.boolean.netc'],
      ['he', 'support.function.initializer.netc'],
    ],
  },
  {
    name: 'the other parameter types',
    source: 'block B(a: float, b: bool, c: shape, d: string, e: Padding) { identity }',
    expected: [
      ['float', 'support.type.primitive.netc'],
      ['bool', 'support.type.primitive.netc'],
      ['shape', 'support.type.primitive.netc'],
      ['string', 'support.type.primitive.netc'],
      ['Padding', 'entity.name.type.netc'],
      ['identity', 'support.function.layer.netc'],
    ],
  },
  {
    name: 'a residual with an if/then/else shortcut spanning two lines',
    source: `block ResBlock(c: int, stride: int = 1) {
  residual(shortcut = if stride == 1 and not c < 0 then identity
                      else conv2d(c, 1, stride=stride, bias=false) -> batchnorm) {
    conv2d(c, 3, pad=same) -> batchnorm -> relu
  }
  relu
}`,
    expected: [
      ['residual', 'support.function.layer.netc'],
      ['shortcut', 'variable.parameter.netc'],
      ['=', 'keyword.operator.assignment.netc'],
      ['if', 'keyword.control.conditional.netc'],
      ['stride', 'meta.definition.block.netc'],
      ['==', 'keyword.operator.comparison.netc'],
      ['and', 'keyword.operator.logical.netc'],
      ['not', 'keyword.operator.logical.netc'],
      ['<', 'keyword.operator.comparison.netc'],
      ['then', 'keyword.control.conditional.netc'],
      ['identity', 'support.function.layer.netc'],
      ['else', 'keyword.control.conditional.netc'],
      ['conv2d', 'support.function.layer.netc'],
      ['stride', 'variable.parameter.netc'],
      ['batchnorm', 'support.function.layer.netc'],
      [')', 'punctuation.section.parens.end.netc'],
      ['{', 'punctuation.section.block.begin.netc'],
      ['same', 'support.constant.option.netc'],
      ['}', 'punctuation.section.block.end.netc'],
      ['relu', 'support.function.layer.netc'],
      ['}', 'punctuation.section.block.end.netc'],
    ],
  },
  {
    name: 'bindings, let instances, returns and a multi-output header',
    source: `network VAE(x: [784]) -> (recon: [784], mu: [20]) {
  h = x -> dense(400) -> relu
  let enc = Encoder(64)
  z = sample_normal(mu, logvar); recon = z -> enc
  return recon, mu
}`,
    expected: [
      ['recon', 'variable.parameter.netc'],
      ['mu', 'variable.parameter.netc'],
      ['h', 'variable.other.netc'],
      ['=', 'keyword.operator.assignment.netc'],
      ['x', 'meta.definition.network.netc'],
      ['let', 'storage.type.let.netc'],
      ['enc', 'variable.other.netc'],
      ['Encoder', 'entity.name.function.netc'],
      ['z', 'variable.other.netc'],
      ['sample_normal', 'support.function.layer.netc'],
      [';', 'punctuation.terminator.statement.netc'],
      ['recon', 'variable.other.netc'],
      ['return', 'keyword.control.return.netc'],
    ],
  },
  {
    name: 'combinators with bodies and repeat with an index',
    source: `block Inception(c1: int) {
  concat {
    conv2d(c1, 1) -> relu
    maxpool(3, stride=1, pad=same) -> global_avgpool
  }
  repeat(2, i) { dense(2 * i + 1) }
}`,
    expected: [
      ['concat', 'support.function.layer.netc'],
      ['{', 'punctuation.section.block.begin.netc'],
      ['maxpool', 'support.function.layer.netc'],
      ['global_avgpool', 'support.function.layer.netc'],
      ['}', 'punctuation.section.block.end.netc'],
      ['repeat', 'support.function.layer.netc'],
      ['i', 'meta.definition.block.netc'],
      ['*', 'keyword.operator.arithmetic.netc'],
      ['+', 'keyword.operator.arithmetic.netc'],
    ],
  },
  {
    name: 'a train section with a GAN phase and noise',
    source: `train GAN {
  data  = mnist(train=8000, test=2000)
  noise z: [100] ~ normal
  phase discriminator(steps=1) {
    loss      = bce(D(x), 1) + bce(D(G(z)), 0)
    optimizer = adam(lr=2e-4, beta1=0.5)
    update    = D
  }
  schedule = step(every=5, gamma=0.5)
}`,
    expected: [
      ['train', 'storage.type.train.netc'],
      ['GAN', 'entity.name.type.network.netc'],
      ['data', 'variable.other.property.netc'],
      ['mnist', 'support.function.data.netc'],
      ['train', 'variable.parameter.netc'],
      ['8000', 'constant.numeric.integer.netc'],
      ['noise', 'storage.type.noise.netc'],
      ['z', 'variable.other.netc'],
      [':', 'keyword.operator.type.annotation.netc'],
      ['100', 'constant.numeric.integer.netc'],
      ['~', 'keyword.operator.distribution.netc'],
      ['normal', 'support.function.distribution.netc'],
      ['phase', 'storage.type.phase.netc'],
      ['discriminator', 'entity.name.function.phase.netc'],
      ['steps', 'variable.parameter.netc'],
      ['loss', 'variable.other.property.netc'],
      ['bce', 'support.function.loss.netc'],
      ['D', 'entity.name.function.netc'],
      ['+', 'keyword.operator.arithmetic.netc'],
      ['G', 'entity.name.function.netc'],
      ['optimizer', 'variable.other.property.netc'],
      ['adam', 'support.function.optimizer.netc'],
      ['lr', 'variable.parameter.netc'],
      ['2e-4', 'constant.numeric.float.netc'],
      ['0.5', 'constant.numeric.float.netc'],
      ['update', 'variable.other.property.netc'],
      ['D', 'meta.definition.phase.netc'],
      ['}', 'punctuation.section.block.end.netc'],
      ['schedule', 'variable.other.property.netc'],
      ['step', 'support.function.schedule.netc'],
      ['}', 'punctuation.section.block.end.netc'],
    ],
  },
  {
    name: 'the training settings of LeNet-5',
    source: `train LeNet5 {
  loss       = cross_entropy(output, label) + 1e-3 * l1(code)
  regularize = l1(5e-4)
  metrics    = [accuracy, precision, recall, mse]
  augment    = [shift(2), flip_horizontal, brightness(0.1)]
  normalize  = standard
  data       = csv("digits.csv", label="y")
  freeze     = [features]
}`,
    expected: [
      ['cross_entropy', 'support.function.loss.netc'],
      ['1e-3', 'constant.numeric.float.netc'],
      ['l1', 'support.function.loss.netc'],
      ['regularize', 'variable.other.property.netc'],
      ['l1', 'support.function.regularizer.netc'],
      ['5e-4', 'constant.numeric.float.netc'],
      ['metrics', 'variable.other.property.netc'],
      ['accuracy', 'support.function.metric.netc'],
      ['recall', 'support.function.metric.netc'],
      ['mse', 'support.function.metric.netc'],
      ['shift', 'support.function.augmentation.netc'],
      ['flip_horizontal', 'support.function.augmentation.netc'],
      ['brightness', 'support.function.augmentation.netc'],
      ['standard', 'support.constant.option.netc'],
      ['csv', 'support.function.data.netc'],
      ['digits.csv', 'string.quoted.double.netc'],
      ['label', 'variable.parameter.netc'],
      ['features', 'meta.definition.train.netc'],
    ],
  },
  {
    name: 'imports and constants',
    source: `import "./blocks.net"
import { ResBlock, ConvBN } from "./resnet.net"
const classes = 10`,
    expected: [
      ['import', 'keyword.control.import.netc'],
      ['./blocks.net', 'string.quoted.double.netc'],
      ['import', 'keyword.control.import.netc'],
      ['{', 'punctuation.section.braces.begin.netc'],
      ['ResBlock', 'source.netc'],
      [',', 'punctuation.separator.comma.netc'],
      ['}', 'punctuation.section.braces.end.netc'],
      ['from', 'keyword.control.from.netc'],
      ['const', 'storage.type.const.netc'],
      ['classes', 'variable.other.constant.netc'],
      ['10', 'constant.numeric.integer.netc'],
    ],
  },
  {
    name: 'comments of the three kinds',
    source: `/// Residual block (He et al. 2016).
// a line comment with block and "quotes"
/* a block comment
   over two lines */ const x = 1
//// four slashes are a plain comment`,
    expected: [
      ['///', 'punctuation.definition.comment.netc'],
      [' Residual block (He et al. 2016).', 'comment.block.documentation.netc'],
      ['//', 'punctuation.definition.comment.netc'],
      [' a line comment with block and "quotes"', 'comment.line.double-slash.netc'],
      ['/*', 'punctuation.definition.comment.begin.netc'],
      [' a block comment', 'comment.block.netc'],
      ['   over two lines ', 'comment.block.netc'],
      ['*/', 'punctuation.definition.comment.end.netc'],
      ['const', 'storage.type.const.netc'],
      ['//', 'punctuation.definition.comment.netc'],
      ['// four slashes are a plain comment', 'comment.line.double-slash.netc'],
    ],
  },
  {
    name: 'strings with escapes',
    source: 'const path = "a \\"quoted\\" name\\\\"',
    expected: [
      ['"', 'punctuation.definition.string.begin.netc'],
      ['a ', 'string.quoted.double.netc'],
      ['\\"', 'constant.character.escape.netc'],
      ['quoted', 'string.quoted.double.netc'],
      ['\\"', 'constant.character.escape.netc'],
      ['\\\\', 'constant.character.escape.netc'],
      ['"', 'punctuation.definition.string.end.netc'],
    ],
  },
  {
    name: 'numbers: integers, decimals and exponents',
    source: 'const xs = [3, 0.5, 1e-3, 2.5E+10, 1e5, -1]',
    expected: [
      ['3', 'constant.numeric.integer.netc'],
      ['0.5', 'constant.numeric.float.netc'],
      ['1e-3', 'constant.numeric.float.netc'],
      ['2.5E+10', 'constant.numeric.float.netc'],
      ['1e5', 'constant.numeric.float.netc'],
      ['-', 'keyword.operator.arithmetic.netc'],
      ['1', 'constant.numeric.integer.netc'],
    ],
  },
];

describe('the TextMate grammar scopes', () => {
  it.each(wellFormed)('$name', async ({ source, expected }) => {
    expect(scopesInOrder(await tokenize(source), expected)).toEqual(expected);
  });

  it('nests a network body inside its definition and shapes inside a shape scope', async () => {
    const tokens = await tokenize('network N(x: [4]) -> [2] { dense(2) : [2] }');
    const ascribed = tokens.filter((token) => token.text === '2');
    expect(ascribed.map((token) => token.scopes)).toEqual([
      [
        'source.netc',
        'meta.definition.network.netc',
        'meta.type.shape.netc',
        'constant.numeric.integer.netc',
      ],
      ['source.netc', 'meta.definition.network.netc', 'constant.numeric.integer.netc'],
      [
        'source.netc',
        'meta.definition.network.netc',
        'meta.type.shape.netc',
        'constant.numeric.integer.netc',
      ],
    ]);
  });
});

const catalogueLayers = `dense conv2d conv_transpose2d maxpool avgpool global_avgpool global_maxpool
  flatten reshape upsample relu sigmoid tanh softplus gelu elu leaky_relu step identity softmax
  log_softmax dropout gaussian_noise batchnorm layernorm add concat mul sample_normal residual repeat`
  .split(/\s+/)
  .filter((name) => name !== '');

const trainingNames: readonly Expectation[] = [
  ...['mse', 'l1', 'cross_entropy', 'bce', 'kl_normal', 'contrastive'].map(
    (name) => [name, 'support.function.loss.netc'] as const,
  ),
  ...['sgd', 'adagrad', 'adam', 'adamw', 'rmsprop'].map(
    (name) => [name, 'support.function.optimizer.netc'] as const,
  ),
  ...['constant', 'inverse', 'step', 'exponential', 'cosine'].map(
    (name) => [name, 'support.function.schedule.netc'] as const,
  ),
  ['l2', 'support.function.regularizer.netc'],
  ...['mnist', 'xor', 'moons', 'spirals', 'csv', 'idx'].map(
    (name) => [name, 'support.function.data.netc'] as const,
  ),
  ...['accuracy', 'precision', 'recall', 'f1', 'tpr', 'fpr', 'tnr', 'fnr', 'confusion', 'mae'].map(
    (name) => [name, 'support.function.metric.netc'] as const,
  ),
];

describe('built-in names', () => {
  it.each(catalogueLayers)(
    'scopes the layer `%s` as a built-in function in a body',
    async (name) => {
      const tokens = await tokenize(`network N(x: [4]) {\n  ${name}(1) -> ${name}\n}`);
      const uses = tokens.filter((token) => token.text === name).map(innermostScope);
      expect(uses).toEqual(['support.function.layer.netc', 'support.function.layer.netc']);
    },
  );

  it.each(trainingNames)(
    'scopes the training name `%s` as %s in a train section',
    async (name, scope) => {
      const tokens = await tokenize(`train N {\n  value = ${name}(1)\n}`);
      expect(scopesInOrder(tokens, [[name, scope]])).toEqual([[name, scope]]);
    },
  );
});

/** Identifiers that contain, start or end with a keyword or a built-in name but are neither. */
const lookalikes: readonly (readonly [name: string, source: string])[] = [
  ['train_size', 'const train_size = 8000'],
  ['blockade', 'network N(x: [2]) {\n  blockade = x -> relu\n}'],
  ['then_x', 'block B(c: int) {\n  if c > 1 then then_x else x\n}'],
  ['if_ok', 'block B(c: int) {\n  if_ok\n}'],
  ['elsewhere', 'block B(c: int) {\n  elsewhere -> relu\n}'],
  ['network_width', 'const network_width = 64'],
  ['import_path', 'block B(c: int) {\n  import_path\n}'],
  ['fromage', 'block B(c: int) {\n  fromage\n}'],
  ['constant_lr', 'train N {\n  loss = constant_lr\n}'],
  ['returned', 'block B(c: int) {\n  x -> returned\n}'],
  ['lettuce', 'block B(c: int) {\n  lettuce\n}'],
  ['android', 'block B(c: int) {\n  android(1)\n}'],
  ['nothing', 'block B(c: int) {\n  nothing\n}'],
  ['order', 'block B(c: int) {\n  order\n}'],
  ['phases', 'train N {\n  steps = phases\n}'],
  ['noisy', 'train N {\n  data = noisy\n}'],
  ['dense_block', 'block B(c: int) {\n  dense_block\n}'],
  ['relu6', 'block B(c: int) {\n  relu6\n}'],
  ['my_relu', 'block B(c: int) {\n  x -> my_relu\n}'],
  ['adam_like', 'train N {\n  optimizer = adam_like\n}'],
  ['true_count', 'const true_count = 1'],
  ['x1e5', 'block B(c: int) {\n  x1e5\n}'],
];

describe('identifiers that merely contain keywords or built-in names', () => {
  it.each(lookalikes)(
    '`%s` stays one token and is neither keyword, built-in nor number',
    async (name, source) => {
      const tokens = await tokenize(source);
      const whole = tokens.filter((token) => token.text === name);
      expect(whole).toHaveLength(1);
      const misleading = (whole[0]?.scopes ?? []).filter((scope) =>
        /^(keyword|storage|support|constant|comment|string)\./.test(scope),
      );
      expect(misleading).toEqual([]);
    },
  );
});

/** Places where a token looks like something it is not. */
const misreadings: readonly Case[] = [
  {
    name: 'a comparison `==` is not a named argument',
    source:
      'block B(s: int) {\n  residual(shortcut = if s == 1 then identity else relu) { relu }\n}',
    expected: [
      ['s', 'variable.parameter.netc'],
      ['s', 'meta.definition.block.netc'],
      ['==', 'keyword.operator.comparison.netc'],
    ],
  },
  {
    name: '`!=`, `<=` and `>=` are comparisons, not assignments',
    source: 'const a = (b != 1) and (c <= 2) or (d >= 3)',
    expected: [
      ['b', 'source.netc'],
      ['!=', 'keyword.operator.comparison.netc'],
      ['<=', 'keyword.operator.comparison.netc'],
      ['>=', 'keyword.operator.comparison.netc'],
    ],
  },
  {
    name: 'a bare layer with a shape ascription is not a layer name',
    source: 'network N(x: [4]) {\n  relu : [4]\n}',
    expected: [
      ['relu', 'support.function.layer.netc'],
      [':', 'keyword.operator.type.annotation.netc'],
    ],
  },
  {
    name: '`step` is a layer in a body but a schedule in a train section',
    source: 'network N(x: [4]) {\n  step\n}\ntrain N {\n  schedule = step(every=5)\n}',
    expected: [
      ['step', 'support.function.layer.netc'],
      ['step', 'support.function.schedule.netc'],
    ],
  },
  {
    name: 'training names are not built-ins inside a network body',
    source: 'network N(x: [4]) {\n  adam -> accuracy\n}',
    expected: [
      ['adam', 'meta.definition.network.netc'],
      ['accuracy', 'meta.definition.network.netc'],
    ],
  },
  {
    name: '`same` is the padding option in a body but a plain value in a train section',
    source:
      'network N(x: [4]) {\n  conv2d(1, 3, pad=same)\n}\ntrain N {\n  loss = contrastive(a, b, same)\n}',
    expected: [
      ['same', 'support.constant.option.netc'],
      ['same', 'meta.definition.train.netc'],
    ],
  },
  {
    name: 'parameter types are ordinary names outside a parameter list',
    source: 'network N(x: [4]) {\n  int -> layer\n}',
    expected: [
      ['int', 'meta.definition.network.netc'],
      ['layer', 'meta.definition.network.netc'],
    ],
  },
  {
    name: '`train` as a named argument is not the start of a train section',
    source: 'train N {\n  data = mnist(train=100)\n  epochs = 2\n}',
    expected: [
      ['train', 'storage.type.train.netc'],
      ['train', 'variable.parameter.netc'],
      ['epochs', 'variable.other.property.netc'],
    ],
  },
  {
    name: 'the soft keywords `from`, `noise` and `phase` are names outside their places',
    source: `network N(x: [4]) {
  from = x -> relu
  from -> noise -> phase
}
train N {
  phase = 1
  data = noise
}`,
    expected: [
      ['from', 'variable.other.netc'],
      ['from', 'meta.definition.network.netc'],
      ['noise', 'meta.definition.network.netc'],
      ['phase', 'meta.definition.network.netc'],
      ['phase', 'variable.other.property.netc'],
      ['noise', 'meta.definition.train.netc'],
    ],
  },
  {
    name: '`train` inside a body is a name, not a train section',
    source: 'network N(x: [4]) {\n  x -> train\n}',
    expected: [['train', 'meta.definition.network.netc']],
  },
  {
    name: 'an unterminated string ends at the end of its line',
    source: 'const s = "open\nconst t = 1',
    expected: [
      ['open', 'string.quoted.double.netc'],
      ['const', 'storage.type.const.netc'],
      ['t', 'variable.other.constant.netc'],
    ],
  },
  {
    name: 'escapes other than `\\"` and `\\\\` are marked invalid',
    source: 'const s = "a\\nb\\t"',
    expected: [
      ['a', 'string.quoted.double.netc'],
      ['\\n', 'invalid.illegal.escape.netc'],
      ['b', 'string.quoted.double.netc'],
      ['\\t', 'invalid.illegal.escape.netc'],
    ],
  },
  {
    name: 'comment markers inside a string are part of the string',
    source: 'const s = "a // b /* c"',
    expected: [['a // b /* c', 'string.quoted.double.netc']],
  },
  {
    name: 'keywords inside comments are comment text',
    source: '// train network block\n/* if then else */',
    expected: [
      [' train network block', 'comment.line.double-slash.netc'],
      [' if then else ', 'comment.block.netc'],
    ],
  },
  {
    name: 'a digit inside a name is not a number',
    source: 'block B(c: int) {\n  conv2d(c2, 3)\n}',
    expected: [
      ['conv2d', 'support.function.layer.netc'],
      ['c2', 'meta.definition.block.netc'],
    ],
  },
  {
    name: 'a statement that starts with `->` continues the chain',
    source: 'network N(x: [4]) {\n  x\n    -> dense(2)\n}',
    expected: [
      ['->', 'keyword.operator.chain.netc'],
      ['dense', 'support.function.layer.netc'],
    ],
  },
];

describe('tokens that look like something they are not', () => {
  it.each(misreadings)('$name', async ({ source, expected }) => {
    expect(scopesInOrder(await tokenize(source), expected)).toEqual(expected);
  });
});

const examplesDir = new URL('../../examples/', import.meta.url);
const examples = readdirSync(examplesDir).filter((file) => file.endsWith('.net'));

describe('every shipped example', () => {
  it('exists, so the checks below have something to check', () => {
    expect(examples.length).toBeGreaterThan(0);
  });

  it.each(examples)('%s closes every body, bracket and comment it opens', async (file) => {
    const { openRules } = await tokenizeSource(readFileSync(new URL(file, examplesDir), 'utf8'));
    expect(openRules).toBe(0);
  });

  it.each(examples)('%s starts each definition with a declaration keyword', async (file) => {
    const { tokens } = await tokenizeSource(readFileSync(new URL(file, examplesDir), 'utf8'));
    const firstOfLine = tokens.filter((token, i) => i === 0 || tokens[i - 1]?.line !== token.line);
    const definitions = firstOfLine.filter((token) => /^(block|network|train)$/.test(token.text));
    expect(definitions.length).toBeGreaterThan(0);
    expect(definitions.map(innermostScope)).toEqual(
      definitions.map((token) => `storage.type.${token.text}.netc`),
    );
  });
});

describe('unfinished source', () => {
  it.each([
    ['a block comment', 'const a = 1 /* never closed'],
    ['a network body', 'network N(x: [4]) {\n  relu'],
    ['an argument list', 'network N(x: [4]) {\n  dense(4,'],
    ['a train body', 'train N {\n  loss = mse(output, x)'],
  ])('leaves %s open at the end of the file', async (_what, source) => {
    expect((await tokenizeSource(source)).openRules).toBeGreaterThan(0);
  });
});
