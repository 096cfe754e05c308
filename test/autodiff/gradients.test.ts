import { describe, expect, it } from 'vitest';
import { checkGradients } from './gradcheck.js';

/*
 * Reverse mode against finite differences (float64, central differences, eps 1e-6, atol
 * 1e-5, rtol 1e-3) for small networks that together use every op and every loss.
 */

const section = (network: string, loss: string, extra = '') => `
train ${network} {
  data      = mnist(train=100, test=100)
  loss      = ${loss}
  optimizer = sgd(lr=0.1)
  batch     = 3
  epochs    = 1
  ${extra}
}
`;

const cases: [string, string][] = [
  [
    'dense layers with every activation and a fused softmax cross-entropy',
    `network Act(x: [1, 28, 28]) -> [10] {
       flatten -> dense(6) -> relu -> dense(6) -> sigmoid -> dense(6) -> tanh
       dense(6) -> softplus -> dense(6) -> gelu -> dense(6) -> elu(0.7)
       dense(6) -> leaky_relu(0.1) -> dense(10) -> softmax
     }` + section('Act', 'cross_entropy(output, label)'),
  ],
  [
    'convolutions with stride, padding and dilation, pools, batchnorm and log_softmax',
    `network Conv(x: [1, 28, 28]) -> [10] {
       conv2d(3, 5, stride=2, pad=1) -> batchnorm -> relu        // [3, 13, 13]
       conv2d(4, 3, dilation=2, pad_mode=reflect, pad=1) -> maxpool(2)   // [4, 5, 5]
       avgpool(2, stride=1, pad=1)                             // [4, 6, 6]
       flatten -> dense(10) -> log_softmax
     }` + section('Conv', 'cross_entropy(output, label)'),
  ],
  [
    'antialiased pools, upsampling and a transposed convolution',
    `network Resample(x: [1, 28, 28]) -> [1, 28, 28] {
       conv2d(2, 3, pad=1) -> maxpool(2, antialias=true)           // [2, 14, 14]
       avgpool(2, antialias=true)                                  // [2, 7, 7]
       upsample(2) -> conv_transpose2d(2, 4, stride=2, pad=1)      // [2, 28, 28]
       upsample(1, mode=bilinear) -> conv2d(1, 3, pad=1, pad_mode=replicate) -> sigmoid
     }` + section('Resample', 'bce(output, x)'),
  ],
  [
    'residual and concat fan-out, add, mul, layernorm, global pools and mse',
    `block Branches(c: int) {
       concat {
         conv2d(c, 1)
         conv2d(c, 3, pad=1) -> relu
       }
     }
     network Graph(x: [1, 28, 28]) -> [1, 28, 28] {
       s  = x -> conv2d(2, 3, stride=2, pad=1)                  // [2, 14, 14]
       r  = s -> residual {
              conv2d(2, 3, pad=1) -> tanh
            }
       b  = r -> Branches(2) -> layernorm                        // [4, 14, 14]
       g  = b -> global_avgpool                                  // [4]
       m  = b -> global_maxpool                                  // [4]
       y  = mul(g, m) -> dense(784) -> reshape([1, 28, 28])
       add(y, x) -> sigmoid
     }` + section('Graph', 'mse(output, x) + 0.5 * l1(output, x)'),
  ],
  [
    'a VAE: sample_normal, bce fused with its sigmoid, kl_normal',
    `network VAE(x: [1, 28, 28]) -> (recon: [1, 28, 28], mu: [3], logvar: [3]) {
       h      = x -> flatten -> dense(8) -> relu
       mu     = h -> dense(3)
       logvar = h -> dense(3)
       z      = sample_normal(mu, logvar)
       recon  = z -> dense(784) -> reshape([1, 28, 28]) -> sigmoid
       return recon, mu, logvar
     }` + section('VAE', 'bce(recon, x) + kl_normal(mu, logvar)'),
  ],
  [
    'a Siamese encoder sharing weights between two inputs, contrastive loss',
    `block Enc(d: int) {
       conv2d(2, 5, stride=3) -> relu -> flatten -> dense(d)
     }
     network Siamese(a: [1, 28, 28], b: [1, 28, 28]) -> (ea: [4], eb: [4]) {
       let enc = Enc(4)
       ea = a -> enc
       eb = b -> enc
       return ea, eb
     }
     train Siamese {
       data      = mnist(train=100, test=100, pairs=true)
       loss      = contrastive(ea, eb, same, margin=2)
       optimizer = sgd(lr=0.1)
       batch     = 4
       epochs    = 1
     }`,
  ],
  [
    'a sparse autoencoder with an activity penalty and l2 weight regularization',
    `network SparseAE(x: [1, 28, 28]) -> (recon: [1, 28, 28]) {
       code  = x -> flatten -> dense(6) -> relu
       recon = code -> dense(784) -> reshape([1, 28, 28]) -> sigmoid
       return recon
     }` + section('SparseAE', 'mse(recon, x) + 1e-1 * l1(code)', 'regularize = l2(0.05)'),
  ],
  [
    'dropout and gaussian noise with fixed random draws, and l1 weight regularization',
    `network Noisy(x: [1, 28, 28]) -> [10] {
       gaussian_noise(0.2) -> flatten -> dense(12) -> relu -> dropout(0.5) -> dense(10)
     }` + section('Noisy', 'cross_entropy(output, label)', 'regularize = l1(0.01)'),
  ],
];

describe('reverse-mode gradients agree with finite differences', () => {
  it.each(cases)('for %s', async (_, source) => {
    const report = await checkGradients(source);
    expect(report.checked).toBeGreaterThan(0);
  });
});

describe('reverse mode through several networks', () => {
  const gan = `
    network G(z: [5]) -> [1, 28, 28] {
      dense(16) -> leaky_relu(0.2) -> dense(784) -> sigmoid -> reshape([1, 28, 28])
    }
    network D(x: [1, 28, 28]) -> [1] {
      flatten -> dense(8) -> leaky_relu(0.2) -> dense(1) -> sigmoid
    }
    train GAN {
      data  = mnist(train=100, test=100)
      noise z: [5] ~ normal
      batch = 3
      epochs = 1
      phase discriminator {
        loss      = bce(D(x), 1) + bce(D(G(z)), 0)
        optimizer = adam(lr=2e-4, beta1=0.5)
        update    = D
      }
      phase generator {
        loss      = bce(D(G(z)), 1)
        optimizer = adam(lr=2e-4, beta1=0.5)
        update    = G
      }
    }`;

  it('updates only D in the discriminator phase', async () => {
    const report = await checkGradients(gan, { phase: 0 });
    expect(report.params.every((p) => p.startsWith('D/'))).toBe(true);
    expect(report.params).toHaveLength(4);
  });

  it('updates only G in the generator phase, with gradients flowing through D', async () => {
    const report = await checkGradients(gan, { phase: 1 });
    expect(report.params.every((p) => p.startsWith('G/'))).toBe(true);
    expect(report.params).toHaveLength(4);
  });

  it('leaves frozen layers without gradients', async () => {
    const report = await checkGradients(`
      block Features() {
        conv2d(2, 5, stride=3) -> relu
      }
      network Head(x: [1, 28, 28]) -> [10] {
        features: Features()
        flatten -> dense(10)
      }
      train Head {
        data      = mnist(train=100, test=100)
        freeze    = [features]
        loss      = cross_entropy(output, label)
        optimizer = sgd(lr=0.1)
      }`);
    expect([...report.params].sort()).toEqual(['Head/dense_0.bias', 'Head/dense_0.weight']);
  });
});
