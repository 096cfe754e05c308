import { describe, expect, it } from 'vitest';
import type { TrainConfig } from '../../src/compiler/train/trainConfig.js';
import { check, nets, type CheckOptions, type TestNetwork } from './helpers.js';

interface GoodCase {
  readonly name: string;
  readonly networks: readonly TestNetwork[];
  readonly source: string;
  readonly options?: CheckOptions;
  /** A partial TrainConfig the result must match. */
  readonly expected: unknown;
}

const mnistFields = [
  { role: 'feature', name: 'x', index: 0, shape: [1, 28, 28], image: true },
  { role: 'label', name: 'label', classes: 10 },
];

/** `output` of `network` fed the data feature `field` of `shape`. */
const outputOf = (network: string, shape: number[], inputShape: number[], name = 'output') => ({
  kind: 'network',
  network,
  inputs: [{ kind: 'data', field: 'x', shape: inputShape }],
  name,
  shape,
});

const cases: GoodCase[] = [
  {
    name: 'the LeNet-5 section of LANGUAGE §6 gives every setting its value',
    networks: [nets.LeNet5],
    source: `train LeNet5 {
      data       = mnist(train=8000, test=2000)
      loss       = cross_entropy(output, label)
      optimizer  = adam(lr=1e-3)
      schedule   = step(every=5, gamma=0.5)
      regularize = l2(5e-4)
      batch      = 64
      epochs     = 10
      metrics    = [accuracy, precision, recall]
      validation = 0.1
      seed       = 42
    }`,
    expected: {
      name: 'LeNet5',
      network: 'LeNet5',
      networks: ['LeNet5'],
      data: {
        source: { kind: 'mnist', train: 8000, test: 2000, pairs: false },
        fields: mnistFields,
      },
      phases: [
        {
          name: 'train',
          steps: 1,
          update: ['LeNet5'],
          loss: {
            terms: [
              {
                weight: 1,
                term: {
                  kind: 'cross_entropy',
                  prediction: outputOf('LeNet5', [10], [1, 28, 28]),
                  form: 'probabilities',
                  classes: 10,
                  target: { kind: 'label', field: 'label', classes: 10 },
                },
              },
            ],
          },
          optimizer: {
            kind: 'adam',
            lr: 1e-3,
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
            weightDecay: 0,
          },
          schedule: { kind: 'step', every: 5, gamma: 0.5 },
          regularize: { kind: 'l2', lambda: 5e-4 },
        },
      ],
      batch: 64,
      epochs: 10,
      metrics: [
        {
          kind: 'classification',
          name: 'accuracy',
          label: 'label',
          classes: 10,
          threshold: undefined,
        },
        { name: 'precision' },
        { name: 'recall' },
      ],
      validation: 0.1,
      seed: 42,
      normalize: 'none',
      augment: [],
      noise: [],
      weights: undefined,
      freeze: [],
    },
  },
  {
    name: 'a section that sets only data, loss and optimizer gets the defaults',
    networks: [nets.LeNet5],
    source: `train LeNet5 { data = mnist; loss = cross_entropy(output, label); optimizer = sgd(0.1) }`,
    expected: {
      data: { source: { kind: 'mnist', train: 8000, test: 2000, pairs: false } },
      phases: [{ schedule: { kind: 'constant' }, regularize: undefined, steps: 1 }],
      batch: 32,
      epochs: 1,
      validation: 0,
      seed: undefined,
      metrics: [],
      normalize: 'none',
      augment: [],
    },
  },
  {
    name: 'cross-entropy on a network without a final softmax reads logits',
    networks: [nets.Logits],
    source: `train Logits { data = mnist; loss = cross_entropy(output, label); optimizer = adam }`,
    expected: {
      phases: [{ loss: { terms: [{ term: { kind: 'cross_entropy', form: 'logits' } }] } }],
    },
  },
  {
    name: 'the seeds XOR network trains with mse against the 0/1 label and judges accuracy at 0.5',
    networks: [nets.Xor],
    source: `train Xor {
      data = xor; loss = mse(output, label); optimizer = sgd(lr=0.5, momentum=0.9)
      epochs = 500; metrics = [accuracy]
    }`,
    expected: {
      data: {
        source: { kind: 'xor', n: 200, noise: 0.1 },
        fields: [
          { role: 'feature', name: 'x', index: 0, shape: [2], image: false },
          { role: 'label', name: 'label', classes: 2 },
        ],
      },
      phases: [
        {
          loss: {
            terms: [
              { term: { kind: 'mse', target: { kind: 'label', field: 'label', classes: 2 } } },
            ],
          },
          optimizer: { kind: 'sgd', lr: 0.5, momentum: 0.9, nesterov: false, weightDecay: 0 },
        },
      ],
      metrics: [{ kind: 'classification', name: 'accuracy', classes: 2, threshold: 0.5 }],
    },
  },
  {
    name: 'bce on a sigmoid output reads probabilities',
    networks: [nets.Xor],
    source: `train Xor { data = moons(n=500, noise=0.2); loss = bce(output, label); optimizer = adam }`,
    expected: {
      data: { source: { kind: 'moons', n: 500, noise: 0.2 } },
      phases: [{ loss: { terms: [{ term: { kind: 'bce', form: 'probabilities' } }] } }],
    },
  },
  {
    name: 'bce on a plain output reads logits, and accuracy then thresholds at 0',
    networks: [nets.XorLogit],
    source: `train XorLogit { data = xor(n=40, noise=0); loss = bce(output, label); optimizer = adam; metrics = [accuracy, f1] }`,
    expected: {
      phases: [{ loss: { terms: [{ term: { kind: 'bce', form: 'logits' } }] } }],
      metrics: [
        { name: 'accuracy', threshold: 0 },
        { name: 'f1', threshold: 0 },
      ],
    },
  },
  {
    name: 'spirals yield as many classes as arms, and the input name aliases `x`',
    networks: [nets.Spiral],
    source: `train Spiral {
      data = spirals(n=600, classes=3); loss = cross_entropy(output, label); optimizer = rmsprop
      metrics = [accuracy, confusion, tpr, fpr, tnr, fnr]
    }`,
    expected: {
      data: { source: { kind: 'spirals', n: 600, classes: 3, noise: 0.2 } },
      phases: [
        {
          optimizer: {
            kind: 'rmsprop',
            lr: 0.01,
            alpha: 0.99,
            eps: 1e-8,
            momentum: 0,
            weightDecay: 0,
          },
        },
      ],
      metrics: [
        { name: 'accuracy', classes: 3 },
        { name: 'confusion' },
        { name: 'tpr' },
        { name: 'fpr' },
        { name: 'tnr' },
        { name: 'fnr' },
      ],
    },
  },
  {
    name: 'a csv file is resolved against the file directory and its features take the input shape',
    networks: [nets.Table],
    source: `train Table {
      data = csv("data/iris.csv", label="species", test="data/iris-test.csv")
      normalize = standard
      loss = cross_entropy(output, label); optimizer = adagrad
    }`,
    expected: {
      data: {
        source: {
          kind: 'csv',
          file: { written: 'data/iris.csv', resolved: '/project/examples/data/iris.csv' },
          label: 'species',
          test: { written: 'data/iris-test.csv', resolved: '/project/examples/data/iris-test.csv' },
        },
        fields: [
          { role: 'feature', name: 'x', index: 0, shape: undefined, image: false },
          { role: 'label', name: 'label', classes: undefined },
        ],
      },
      normalize: 'standard',
      phases: [
        {
          loss: { terms: [{ term: { prediction: outputOf('Table', [3], [4]), classes: 3 } }] },
          optimizer: { kind: 'adagrad', lr: 0.01, eps: 1e-10, weightDecay: 0 },
        },
      ],
    },
  },
  {
    name: 'idx files feed image data of the shape the network declares',
    networks: [nets.LeNet5],
    source: `train LeNet5 {
      data = idx("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                 test_images="t10k-images-idx3-ubyte", test_labels="t10k-labels-idx1-ubyte")
      augment = [shift(2), flip_horizontal, brightness(0.1)]
      loss = cross_entropy(output, label); optimizer = adamw
    }`,
    expected: {
      data: {
        source: {
          kind: 'idx',
          images: {
            written: 'train-images-idx3-ubyte',
            resolved: '/project/examples/train-images-idx3-ubyte',
          },
          testLabels: { written: 't10k-labels-idx1-ubyte' },
        },
      },
      augment: [
        { kind: 'shift', pixels: 2 },
        { kind: 'flip_horizontal' },
        { kind: 'brightness', delta: 0.1 },
      ],
      phases: [
        {
          optimizer: {
            kind: 'adamw',
            lr: 1e-3,
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
            weightDecay: 0.01,
          },
        },
      ],
    },
  },
  {
    name: 'a sparse autoencoder adds an activity penalty on a named value of the body',
    networks: [nets.Sparse],
    source: `train Sparse {
      data = mnist
      loss = mse(output, img) + 1e-3 * l1(code)
      optimizer = adam
      metrics = [mse, mae]
    }`,
    expected: {
      phases: [
        {
          loss: {
            terms: [
              {
                weight: 1,
                term: {
                  kind: 'mse',
                  prediction: outputOf('Sparse', [1, 28, 28], [1, 28, 28]),
                  target: { kind: 'tensor', ref: { kind: 'data', field: 'x', shape: [1, 28, 28] } },
                },
              },
              {
                weight: 1e-3,
                term: {
                  kind: 'l1_activity',
                  value: { kind: 'network', network: 'Sparse', name: 'code', shape: [32] },
                },
              },
            ],
          },
        },
      ],
      metrics: [
        {
          kind: 'regression',
          name: 'mse',
          target: { kind: 'tensor', ref: { kind: 'data', field: 'x' } },
        },
        { kind: 'regression', name: 'mae' },
      ],
    },
  },
  {
    name: 'a loss weight may be a const, and scaling distributes over a sum',
    networks: [nets.Sparse],
    options: { consts: { sparsity: { kind: 'float', value: 0.01 } } },
    source: `train Sparse {
      data = mnist
      loss = 2 * (mse(output, x) + sparsity * l1(code)) + l1(output, x) / 4
      optimizer = adam
    }`,
    expected: {
      phases: [
        {
          loss: {
            terms: [
              { weight: 2, term: { kind: 'mse' } },
              { weight: 0.02, term: { kind: 'l1_activity' } },
              { weight: 0.25, term: { kind: 'l1', target: { kind: 'tensor' } } },
            ],
          },
        },
      ],
    },
  },
  {
    name: 'a VAE combines bce on the reconstruction with kl_normal on its named outputs',
    networks: [nets.VAE],
    source: `train VAE {
      data = idx("images", "labels")
      loss = bce(recon, x) + kl_normal(mu, logvar)
      optimizer = adam(lr=1e-3)
    }`,
    expected: {
      phases: [
        {
          loss: {
            terms: [
              {
                term: {
                  kind: 'bce',
                  form: 'probabilities',
                  prediction: outputOf('VAE', [784], [784], 'recon'),
                },
              },
              {
                term: {
                  kind: 'kl_normal',
                  mu: outputOf('VAE', [20], [784], 'mu'),
                  logvar: outputOf('VAE', [20], [784], 'logvar'),
                },
              },
            ],
          },
        },
      ],
    },
  },
  {
    name: 'image pairs feed a two-input Siamese network and yield `same` for the contrastive loss',
    networks: [nets.Siamese],
    source: `train Siamese {
      data = mnist(pairs=true, train=4000, test=1000)
      loss = contrastive(ea, eb, same, margin=2)
      optimizer = adam
    }`,
    expected: {
      data: {
        source: { kind: 'mnist', train: 4000, test: 1000, pairs: true },
        fields: [
          { role: 'feature', name: 'x1', index: 0, shape: [1, 28, 28] },
          { role: 'feature', name: 'x2', index: 1, shape: [1, 28, 28] },
          { role: 'label', name: 'same', classes: 2 },
        ],
      },
      phases: [
        {
          loss: {
            terms: [
              {
                term: {
                  kind: 'contrastive',
                  a: {
                    kind: 'network',
                    network: 'Siamese',
                    name: 'ea',
                    inputs: [
                      { kind: 'data', field: 'x1' },
                      { kind: 'data', field: 'x2' },
                    ],
                  },
                  same: { kind: 'label', field: 'same', classes: 2 },
                  margin: 2,
                },
              },
            ],
          },
        },
      ],
    },
  },
  {
    name: 'a shared encoder applied to both images of a pair is one network with two applications',
    networks: [nets.Encoder],
    source: `train Encoder {
      data = mnist(pairs=true)
      noise eps: [1, 28, 28] ~ normal(0, 0.1)
      loss = contrastive(Encoder(x1), Encoder(x2), same)
      optimizer = adam
    }`,
    expected: {
      phases: [{ loss: { terms: [{ term: { kind: 'contrastive', margin: 1 } }] } }],
      noise: [
        { name: 'eps', shape: [1, 28, 28], distribution: { kind: 'normal', mean: 0, std: 0.1 } },
      ],
    },
  },
  {
    name: 'the GAN of LANGUAGE §6 alternates two phases that update one network each',
    networks: [nets.G, nets.D],
    source: `train GAN {
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
    }`,
    expected: {
      name: 'GAN',
      network: undefined,
      networks: ['D', 'G'],
      noise: [{ name: 'z', shape: [100], distribution: { kind: 'normal', mean: 0, std: 1 } }],
      phases: [
        {
          name: 'discriminator',
          steps: 1,
          update: ['D'],
          optimizer: { kind: 'adam', lr: 2e-4, beta1: 0.5, beta2: 0.999 },
          loss: {
            terms: [
              {
                term: {
                  kind: 'bce',
                  form: 'probabilities',
                  prediction: outputOf('D', [1], [1, 28, 28]),
                  target: { kind: 'constant', value: 1 },
                },
              },
              {
                term: {
                  kind: 'bce',
                  prediction: {
                    kind: 'network',
                    network: 'D',
                    inputs: [
                      {
                        kind: 'network',
                        network: 'G',
                        inputs: [{ kind: 'noise', name: 'z', shape: [100] }],
                        shape: [1, 28, 28],
                      },
                    ],
                  },
                  target: { kind: 'constant', value: 0 },
                },
              },
            ],
          },
        },
        { name: 'generator', steps: 1, update: ['G'] },
      ],
      metrics: [],
    },
  },
  {
    name: 'phases inherit the section loss, optimizer and schedule, and may update several networks',
    networks: [nets.G, nets.D],
    source: `train Joint {
      data = mnist
      noise z: [100] ~ uniform(-1, 1)
      loss = bce(D(G(z)), 1) + bce(D(x), 1)
      optimizer = sgd(lr=0.01, momentum=0.9, nesterov=true, weight_decay=1e-4)
      schedule = cosine(20)
      regularize = l1(1e-5)
      phase both(steps=3) { update = [G, D] }
      phase critic(2) { update = D; schedule = exponential(0.95) }
    }`,
    expected: {
      noise: [{ distribution: { kind: 'uniform', low: -1, high: 1 } }],
      phases: [
        {
          name: 'both',
          steps: 3,
          update: ['G', 'D'],
          optimizer: { kind: 'sgd', lr: 0.01, momentum: 0.9, nesterov: true, weightDecay: 1e-4 },
          schedule: { kind: 'cosine', total: 20 },
          regularize: { kind: 'l1', lambda: 1e-5 },
        },
        { name: 'critic', steps: 2, schedule: { kind: 'exponential', gamma: 0.95 } },
      ],
      networks: ['D', 'G'],
    },
  },
  {
    name: 'transfer learning loads weights and freezes a block instance by name',
    networks: [nets.Transfer],
    source: `train Transfer {
      data = mnist
      weights = "lenet.safetensors"
      freeze = [features]
      loss = cross_entropy(output, label); optimizer = adam
      schedule = inverse(0.01)
    }`,
    expected: {
      weights: { written: 'lenet.safetensors', resolved: '/project/examples/lenet.safetensors' },
      freeze: [
        {
          network: 'Transfer',
          layer: 'features',
          params: [
            'features.conv2d_0.weight',
            'features.conv2d_0.bias',
            'features.conv2d_1.weight',
            'features.conv2d_1.bias',
          ],
        },
      ],
      phases: [{ schedule: { kind: 'inverse', decay: 0.01 } }],
    },
  },
  {
    name: 'a layer can be frozen by its dotted name written as a string, or without brackets',
    networks: [nets.Transfer],
    source: `train Transfer {
      data = mnist; freeze = "features.conv2d_1"
      loss = cross_entropy(output, label); optimizer = adam
    }`,
    expected: {
      freeze: [
        {
          layer: 'features.conv2d_1',
          params: ['features.conv2d_1.weight', 'features.conv2d_1.bias'],
        },
      ],
    },
  },
  {
    name: 'an int setting takes a whole float, written or computed, as layer arguments do',
    networks: [nets.LeNet5],
    source: `train LeNet5 {
      data = mnist; loss = cross_entropy(output, label); optimizer = adam
      batch = 64.0; epochs = 20 / 4; seed = 1e3
    }`,
    expected: { batch: 64, epochs: 5, seed: 1000 },
  },
];

describe('train sections that check', () => {
  it.each(cases)('$name', ({ source, networks, options, expected }) => {
    const result = check(source, networks, options);
    expect(result.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
    expect(result.config).toMatchObject(expected as Partial<TrainConfig>);
  });
});

describe('every optimizer gets PyTorch defaults', () => {
  const optimizers: [string, unknown][] = [
    ['sgd(0.1)', { kind: 'sgd', lr: 0.1, momentum: 0, nesterov: false, weightDecay: 0 }],
    ['adagrad', { kind: 'adagrad', lr: 0.01, eps: 1e-10, weightDecay: 0 }],
    ['adam', { kind: 'adam', lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 }],
    [
      'adam(2e-4, 0.5)',
      { kind: 'adam', lr: 2e-4, beta1: 0.5, beta2: 0.999, eps: 1e-8, weightDecay: 0 },
    ],
    [
      'adamw()',
      { kind: 'adamw', lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01 },
    ],
    [
      'rmsprop(alpha=0.9)',
      { kind: 'rmsprop', lr: 0.01, alpha: 0.9, eps: 1e-8, momentum: 0, weightDecay: 0 },
    ],
  ];
  it.each(optimizers)('%s', (written, expected) => {
    const result = check(
      `train LeNet5 { data = mnist; loss = cross_entropy(output, label); optimizer = ${written} }`,
      [nets.LeNet5],
    );
    expect(result.diagnostics).toEqual([]);
    expect(result.config?.phases[0]?.optimizer).toEqual(expected);
  });
});

describe('schedules and regularizers', () => {
  const settings: [string, string, unknown][] = [
    ['schedule', 'constant', { kind: 'constant' }],
    ['schedule', 'inverse(decay=0.5)', { kind: 'inverse', decay: 0.5 }],
    ['schedule', 'step(3)', { kind: 'step', every: 3, gamma: 0.1 }],
    ['schedule', 'exponential(gamma=0.9)', { kind: 'exponential', gamma: 0.9 }],
    ['schedule', 'cosine(total=50)', { kind: 'cosine', total: 50 }],
    ['regularize', 'l2(0)', { kind: 'l2', lambda: 0 }],
    ['regularize', 'l1(lambda=1e-4)', { kind: 'l1', lambda: 1e-4 }],
  ];
  it.each(settings)('%s = %s', (key, written, expected) => {
    const result = check(
      `train LeNet5 { data = mnist; loss = cross_entropy(output, label); optimizer = adam; ${key} = ${written} }`,
      [nets.LeNet5],
    );
    expect(result.diagnostics).toEqual([]);
    expect(result.config?.phases[0]?.[key as 'schedule' | 'regularize']).toEqual(expected);
  });
});
