import { describe, expect, it } from 'vitest';
import { parse } from './helpers.js';

/*
 * Every example program of LANGUAGE.md, copied verbatim (placeholders `{ ... }` replaced by
 * real content), parses without a diagnostic.
 */

const examples: Record<string, string> = {
  '§2 files and definitions': `import "./blocks.net"                 // brings every top-level name of that file
import { ResBlock } from "./resnet.net"

const classes = 10                    // compile-time constant

/// 3x3 convolution, batch norm, ReLU.
block ConvBN(out: int, stride: int = 1) {
  conv2d(out, 3, stride=stride, pad=same, bias=false)
  batchnorm
  relu
}

network LeNet5(x: [1, 28, 28]) -> [10] {
  conv2d(6, 5, pad=2) -> tanh -> avgpool(2)     // [6, 14, 14]
  conv2d(16, 5) -> tanh -> avgpool(2)           // [16, 5, 5]
  flatten
  dense(120) -> tanh
  dense(84) -> tanh
  dense(10)
}

train LeNet5 {
  data       = mnist(train=8000, test=2000)
  loss       = cross_entropy(output, label)
  optimizer  = adam(lr=1e-3)
  epochs     = 10
}
`,
  '§3 MLP': `network MLP(x: [784]) -> [10] {
  dense(30) -> sigmoid      // \`->\` chains steps on one line
  dense(10)
  softmax
}
`,
  '§3 VAE': `network VAE(x: [784]) -> (recon: [784], mu: [20], logvar: [20]) {
  h      = x -> dense(400) -> relu
  mu     = h -> dense(20)
  logvar = h -> dense(20)
  z      = sample_normal(mu, logvar)      // mu + exp(logvar / 2) * eps
  recon  = z -> dense(400) -> relu -> dense(784) -> sigmoid
  return recon, mu, logvar
}
`,
  '§4 composition': `/// Residual block (He et al. 2016): y = relu(x + F(x)).
block ResBlock(c: int, stride: int = 1) {
  residual(shortcut = if stride == 1 then identity
                      else conv2d(c, 1, stride=stride, bias=false) -> batchnorm) {
    conv2d(c, 3, stride=stride, pad=same, bias=false) -> batchnorm -> relu
    conv2d(c, 3, pad=same, bias=false) -> batchnorm
  }
  relu
}

/// Inception module (Szegedy et al. 2015) with 1x1 bottlenecks.
block Inception(c1: int, c3r: int, c3: int, c5r: int, c5: int, pp: int) {
  concat {                                      // each line is a branch
    conv2d(c1, 1) -> relu
    conv2d(c3r, 1) -> relu -> conv2d(c3, 3, pad=same) -> relu
    conv2d(c5r, 1) -> relu -> conv2d(c5, 5, pad=same) -> relu
    maxpool(3, stride=1, pad=same) -> conv2d(pp, 1) -> relu
  }
}
`,
  '§6 training': `train LeNet5 {
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
  '§6 GAN': `train GAN {
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
  'inline snippets of §3, §4 and §6': `network Snippets(x: [1, 28, 28], y: [1, 28, 28]) {
  conv2d(6, 5) : [6, 28, 28] -> relu
  c1: conv2d(6, 5)
  a = x -> flatten
  b = y -> flatten
  add(a, b)
  concat(a, b, axis=0)
  residual { conv2d(1, 3, pad=same) }
  repeat(3) { dense(10) -> relu }
  repeat(3, i) { dense(10) -> relu }
  let enc = Encoder(64)
  (dense(10) -> relu -> dense(10))
}

train Snippets {
  loss      = bce(recon, x) + kl_normal(mu, logvar)
  data      = csv("file.csv", label="y")
  normalize = standard
  augment   = [shift(2), flip_horizontal, brightness(0.1)]
  weights   = "lenet.safetensors"
  freeze    = [features]
}

train Sparse {
  loss = mse(recon, x) + 1e-3 * l1(code)
  data = idx("images", "labels")
}
`,
};

describe('the examples of LANGUAGE.md', () => {
  it.each(Object.entries(examples))('%s parse without diagnostics', (_, text) => {
    const { program, diagnostics } = parse(text);
    expect(diagnostics).toEqual([]);
    expect(program.definitions.length).toBeGreaterThan(0);
  });

  it('keep every definition of the §2 example', () => {
    const kinds = parse(examples['§2 files and definitions']!).program.definitions.map(
      (d) => d.kind,
    );
    expect(kinds).toEqual(['Import', 'Import', 'Const', 'Block', 'Network', 'Train']);
  });
});
