import { describe, expect, it } from 'vitest';
import { parseSource } from '../../src/compiler/syntax/parse.js';
import type { TrainDecl } from '../../src/compiler/syntax/ast.js';
import { DiagnosticBag } from '../../src/compiler/diagnostics/diagnostic.js';
import { checkTrain } from '../../src/compiler/train/checkTrain.js';
import { literalEvaluator, nets, type TestNetwork } from './helpers.js';

/** Parses with the project's parser, so the checker and the real AST stay in step. */
function checkParsed(text: string, networks: readonly TestNetwork[]) {
  const parsed = parseSource({ path: 'example.net', text });
  expect(parsed.diagnostics).toEqual([]);
  const decl = parsed.program.definitions.find((d): d is TrainDecl => d.kind === 'Train')!;
  const diagnostics = new DiagnosticBag();
  const config = checkTrain(decl, {
    networks: new Map(networks.map((n) => [n.network.name, n.network])),
    brokenNetworks: new Set(),
    evalConst: literalEvaluator({}, diagnostics),
    diagnostics,
    baseDir: '/project',
    namedValues: (name) => networks.find((n) => n.network.name === name)?.namedValues ?? new Map(),
  });
  return { config, diagnostics: diagnostics.items };
}

describe('train sections parsed by the project parser', () => {
  it('checks the LeNet-5 section of LANGUAGE §6', () => {
    const { config, diagnostics } = checkParsed(
      `train LeNet5 {
  data       = mnist(train=8000, test=2000)   // bundled real digits
  loss       = cross_entropy(output, label)   // fused with a final softmax
  optimizer  = adam(lr=1e-3)
  schedule   = step(every=5, gamma=0.5)
  regularize = l2(5e-4)                       // weights only, never biases
  batch      = 64
  epochs     = 10
  metrics    = [accuracy, precision, recall]
  validation = 0.1
  seed       = 42
}
`,
      [nets.LeNet5],
    );
    expect(diagnostics).toEqual([]);
    expect(config).toMatchObject({ batch: 64, epochs: 10, seed: 42, metrics: [{}, {}, {}] });
  });

  it('checks the GAN section of LANGUAGE §6', () => {
    const { config, diagnostics } = checkParsed(
      `train GAN {
  data  = mnist
  noise z: [100] ~ normal
  phase discriminator(steps=1) {
    loss      = bce(D(x), 1) + bce(D(G(z)), 0)
    optimizer = adam(lr=2e-4, beta1=0.5)
    update    = D
  }
  phase generator {
    loss      = bce(D(G(z)), 1)
    optimizer = adam(lr=2e-4, beta1=0.5)
    update    = G
  }
}
`,
      [nets.G, nets.D],
    );
    expect(diagnostics).toEqual([]);
    expect(config?.phases.map((p) => [p.name, p.update, p.loss.terms.length])).toEqual([
      ['discriminator', ['D'], 2],
      ['generator', ['G'], 1],
    ]);
  });

  it('checks a sparse autoencoder loss with a negative-exponent weight', () => {
    const { config, diagnostics } = checkParsed(
      `train Sparse {
  data = mnist; loss = mse(output, img) + 1e-3 * l1(code); optimizer = adam
}
`,
      [nets.Sparse],
    );
    expect(diagnostics).toEqual([]);
    expect(config?.phases[0]?.loss.terms.map((t) => t.weight)).toEqual([1, 1e-3]);
  });
});
