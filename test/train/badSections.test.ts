import { describe, expect, it } from 'vitest';
import { trainCodes } from '../../src/compiler/diagnostics/codes/train.js';
import { check, nets, type TestNetwork } from './helpers.js';

interface BadCase {
  readonly name: string;
  readonly networks: readonly TestNetwork[];
  readonly source: string;
  readonly broken?: readonly string[];
  /** The one diagnostic expected. */
  readonly code: keyof typeof trainCodes;
  /** The source text under its span (`<networks.net>` for a span in a network's file). */
  readonly at: string;
  readonly message?: RegExp;
  readonly help?: RegExp;
  /** Codes of further diagnostics the same mistake rightly causes. */
  readonly also?: readonly (keyof typeof trainCodes)[];
}

/** A LeNet-5 section with `settings` added; the base alone checks. */
const lenet = (settings: string) => `train LeNet5 {
  data = mnist; loss = cross_entropy(output, label); optimizer = adam
  ${settings}
}`;

/** The GAN of LANGUAGE §6 with `extra` at the top and the generator's phase body replaced. */
const gan = (extra: string, generator = 'loss = bce(D(G(z)), 1); update = G') => `train GAN {
  data = mnist; optimizer = adam(lr=2e-4, beta1=0.5)
  noise z: [100] ~ normal
  ${extra}
  phase discriminator { loss = bce(D(x), 1) + bce(D(G(z)), 0); update = D }
  phase generator { ${generator} }
}`;

const cases: BadCase[] = [
  // NETC4001 unknown network
  {
    name: 'a misspelled network after `train` gets a suggestion',
    networks: [nets.LeNet5],
    source: `train LeNet { data = mnist; loss = cross_entropy(output, label); optimizer = adam }`,
    code: 'NETC4001',
    at: 'LeNet',
    help: /did you mean `LeNet5`\?/,
  },
  {
    name: 'a misspelled network applied in a loss gets a suggestion',
    networks: [nets.G, nets.D],
    source: gan('', 'loss = bce(Dd(G(z)), 1); update = G'),
    code: 'NETC4001',
    at: 'Dd',
    help: /did you mean `D`\?/,
  },
  {
    name: 'an unknown network in `update` is reported',
    networks: [nets.G, nets.D],
    source: gan('', 'loss = bce(D(G(z)), 1); update = Gen'),
    code: 'NETC4001',
    at: 'Gen',
  },
  // NETC4002 unknown setting
  {
    name: 'a misspelled setting gets a suggestion',
    networks: [nets.LeNet5],
    source: lenet('optimiser = adam'),
    code: 'NETC4002',
    at: 'optimiser',
    help: /did you mean `optimizer`\?/,
  },
  {
    name: 'an unknown setting without a near name lists the settings',
    networks: [nets.LeNet5],
    source: lenet('dropout = 0.5'),
    code: 'NETC4002',
    at: 'dropout',
    help: /`data`, `loss`, `optimizer`/,
  },
  // NETC4003 duplicate setting
  {
    name: 'a setting given twice points at the first',
    networks: [nets.LeNet5],
    source: lenet('batch = 64; batch = 128'),
    code: 'NETC4003',
    at: 'batch',
    message: /`batch` is set twice/,
  },
  // NETC4004 missing setting
  {
    name: 'a section without data says how to add it',
    networks: [nets.LeNet5],
    source: `train LeNet5 { loss = cross_entropy(output, label); optimizer = adam }`,
    code: 'NETC4004',
    at: 'LeNet5',
    help: /data = mnist/,
  },
  {
    name: 'a section without an optimizer suggests adam',
    networks: [nets.LeNet5],
    source: `train LeNet5 { data = mnist; loss = cross_entropy(output, label) }`,
    code: 'NETC4004',
    at: 'LeNet5',
    help: /optimizer = adam\(lr=1e-3\)/,
  },
  {
    name: 'a section without a loss is reported',
    networks: [nets.LeNet5],
    source: `train LeNet5 { data = mnist; optimizer = adam }`,
    code: 'NETC4004',
    at: 'LeNet5',
    message: /no `loss`/,
  },
  {
    name: 'a phase without `update` is reported at the phase name',
    networks: [nets.G, nets.D],
    source: gan('', 'loss = bce(D(G(z)), 1)'),
    code: 'NETC4004',
    at: 'generator',
    message: /phase `generator` has no `update`/,
  },
  {
    name: 'a phase without a loss, and none in the section, is reported',
    networks: [nets.G, nets.D],
    source: gan('', 'update = G'),
    code: 'NETC4004',
    at: 'generator',
    message: /has no `loss`/,
  },
  // NETC4005 setting not allowed here
  {
    name: '`update` outside a phase is misplaced',
    networks: [nets.LeNet5],
    source: lenet('update = LeNet5'),
    code: 'NETC4005',
    at: 'update',
    message: /only be set inside a `phase`/,
  },
  {
    name: '`batch` inside a phase is misplaced',
    networks: [nets.G, nets.D],
    source: gan('', 'loss = bce(D(G(z)), 1); update = G; batch = 8'),
    code: 'NETC4005',
    at: 'batch',
  },
  {
    name: 'noise declared inside a phase is misplaced',
    networks: [nets.G, nets.D],
    source: gan('', 'loss = bce(D(G(z)), 1); update = G; noise w: [3] ~ normal'),
    code: 'NETC4005',
    at: 'noise w: [3] ~ normal',
  },
  // NETC4006 wrong value type
  {
    name: 'a fractional batch size is not an int',
    networks: [nets.LeNet5],
    source: lenet('batch = 64.5'),
    code: 'NETC4006',
    at: '64.5',
    help: /whole number such as `65`|`64`/,
  },
  {
    name: 'a weights path must be quoted',
    networks: [nets.LeNet5],
    source: lenet('weights = lenet'),
    code: 'NETC4006',
    at: 'lenet',
    help: /put it in quotes: `"lenet"`/,
  },
  {
    name: 'a string is not a validation fraction',
    networks: [nets.LeNet5],
    source: lenet('validation = "10%"'),
    code: 'NETC4006',
    at: '"10%"',
  },
  {
    name: 'a number is not a data source',
    networks: [nets.LeNet5],
    source: `train LeNet5 { data = 3; loss = cross_entropy(output, label); optimizer = adam }`,
    code: 'NETC4006',
    at: '3',
    message: /expected a data source/,
  },
  {
    name: 'a boolean argument must be true or false',
    networks: [nets.LeNet5],
    source: lenet('freeze = []').replace('data = mnist', 'data = mnist(pairs=1)'),
    code: 'NETC4006',
    at: '1',
  },
  // NETC4007 value out of range
  {
    name: 'a batch of zero is out of range',
    networks: [nets.LeNet5],
    source: lenet('batch = 0'),
    code: 'NETC4007',
    at: '0',
    message: /`batch` must be at least 1, got 0/,
  },
  {
    name: 'a validation fraction of 1 leaves nothing to train on',
    networks: [nets.LeNet5],
    source: lenet('validation = 1'),
    code: 'NETC4007',
    at: '1',
    message: /in \[0, 1\)/,
  },
  {
    name: 'a negative seed is out of range',
    networks: [nets.LeNet5],
    source: lenet('seed = -1'),
    code: 'NETC4007',
    at: '-1',
  },
  {
    name: 'an absurd epoch count is out of range',
    networks: [nets.LeNet5],
    source: lenet('epochs = 3000000000'),
    code: 'NETC4007',
    at: '3000000000',
    message: /at most 2147483647/,
  },
  {
    name: 'a learning rate of zero is out of range',
    networks: [nets.LeNet5],
    source: lenet('').replace('optimizer = adam', 'optimizer = adam(lr=0)'),
    code: 'NETC4007',
    at: '0',
    message: /`lr` must be greater than 0/,
  },
  {
    name: 'beta1 of 1 is out of range',
    networks: [nets.LeNet5],
    source: lenet('').replace('optimizer = adam', 'optimizer = adam(beta1=1)'),
    code: 'NETC4007',
    at: '1',
  },
  {
    name: 'a noise dimension of zero is out of range',
    networks: [nets.G, nets.D],
    source: gan('noise w: [0] ~ normal'),
    code: 'NETC4007',
    at: '[0]',
  },
  {
    name: 'a contrastive margin must be positive',
    networks: [nets.Siamese],
    source: `train Siamese { data = mnist(pairs=true); loss = contrastive(ea, eb, same, margin=0); optimizer = adam }`,
    code: 'NETC4007',
    at: '0',
  },
  {
    name: 'phase steps must be at least 1',
    networks: [nets.G, nets.D],
    source: gan('').replace('phase discriminator', 'phase discriminator(steps=0)'),
    code: 'NETC4007',
    at: '0',
  },
  // NETC4008 unknown argument
  {
    name: 'a misspelled optimizer argument gets a suggestion',
    networks: [nets.LeNet5],
    source: lenet('').replace('optimizer = adam', 'optimizer = adam(betas1=0.5)'),
    code: 'NETC4008',
    at: 'betas1',
    help: /did you mean `beta1`\?/,
  },
  {
    name: 'an unknown data source argument lists the arguments',
    networks: [nets.LeNet5],
    source: lenet('').replace('data = mnist', 'data = mnist(size=100)'),
    code: 'NETC4008',
    at: 'size',
    help: /`train`, `test`, `pairs`/,
  },
  // NETC4009 missing argument
  {
    name: 'sgd needs a learning rate, as in PyTorch',
    networks: [nets.LeNet5],
    source: lenet('').replace('optimizer = adam', 'optimizer = sgd(momentum=0.9)'),
    code: 'NETC4009',
    at: 'sgd(momentum=0.9)',
    message: /`sgd` needs `lr`/,
  },
  {
    name: 'the inverse schedule needs its decay',
    networks: [nets.LeNet5],
    source: lenet('schedule = inverse'),
    code: 'NETC4009',
    at: 'inverse',
  },
  {
    name: 'a network applied to too few values is missing an input',
    networks: [nets.Pair],
    source: `train Pair { data = mnist(pairs=true); loss = bce(Pair(x1), same); optimizer = adam }`,
    code: 'NETC4009',
    at: 'Pair(x1)',
    message: /`Pair` needs `b`/,
  },
  // NETC4010 too many arguments
  {
    name: 'too many positional optimizer arguments',
    networks: [nets.LeNet5],
    source: lenet('').replace('optimizer = adam', 'optimizer = adam(1e-3, 0.9, 0.999, 1e-8, 0, 5)'),
    code: 'NETC4010',
    at: '5',
  },
  {
    name: 'a network applied to too many values',
    networks: [nets.G, nets.D],
    source: gan('', 'loss = bce(D(G(z), z), 1); update = G'),
    code: 'NETC4010',
    at: 'z',
  },
  // NETC4011 argument given twice
  {
    name: 'an argument given by position and by name',
    networks: [nets.LeNet5],
    source: lenet('').replace('optimizer = adam', 'optimizer = adam(1e-3, lr=1e-2)'),
    code: 'NETC4011',
    at: 'lr=1e-2',
  },
  // NETC4012 conflicting arguments
  {
    name: 'Nesterov momentum without momentum is rejected as PyTorch does',
    networks: [nets.LeNet5],
    source: lenet('').replace('optimizer = adam', 'optimizer = sgd(lr=0.1, nesterov=true)'),
    code: 'NETC4012',
    at: 'sgd(lr=0.1, nesterov=true)',
    help: /momentum=0.9/,
  },
  {
    name: 'uniform noise needs low below high',
    networks: [nets.G, nets.D],
    source: gan('noise w: [2] ~ uniform(1, 0)'),
    code: 'NETC4012',
    at: 'uniform(1, 0)',
  },
  {
    name: 'idx test images without test labels',
    networks: [nets.LeNet5],
    source: lenet('').replace('data = mnist', 'data = idx("a", "b", test_images="c")'),
    code: 'NETC4012',
    at: 'idx("a", "b", test_images="c")',
  },
  // NETC4013 unknown data source
  {
    name: 'a misspelled data source gets a suggestion',
    networks: [nets.LeNet5],
    source: lenet('').replace('data = mnist', 'data = mnsit(train=100)'),
    code: 'NETC4013',
    at: 'mnsit',
    help: /did you mean `mnist`\?/,
  },
  {
    name: 'an unknown data source lists the sources',
    networks: [nets.LeNet5],
    source: lenet('').replace('data = mnist', 'data = cifar10'),
    code: 'NETC4013',
    at: 'cifar10',
    help: /`mnist`, `xor`, `moons`, `spirals`, `csv`, `idx`/,
  },
  // NETC4014 more digits than bundled
  {
    name: 'more digits than the bundled 10,000 point at idx for the full set',
    networks: [nets.LeNet5],
    source: lenet('').replace('data = mnist', 'data = mnist(train=9000, test=2000)'),
    code: 'NETC4014',
    at: 'mnist(train=9000, test=2000)',
    help: /idx\(/,
  },
  // NETC4015 data does not fit the network
  {
    name: 'a flat input fed MNIST images is told to start with the image shape and flatten',
    networks: [nets.MLP],
    source: `train MLP { data = mnist; loss = cross_entropy(output, label); optimizer = sgd(0.1) }`,
    code: 'NETC4015',
    at: 'mnist',
    message: /yields `x` of shape \[1, 28, 28\], but `MLP` expects `x: \[784\]`/,
    help: /start the network with `x: \[1, 28, 28\]` and `flatten`/,
  },
  {
    name: 'a two-input network fed single images is told about pairs',
    networks: [nets.Siamese],
    source: `train Siamese { data = mnist; loss = contrastive(ea, eb, same); optimizer = adam }`,
    code: 'NETC4015',
    at: 'mnist',
    help: /mnist\(pairs=true\)/,
    also: ['NETC4016'],
  },
  {
    name: 'a one-input network fed image pairs by name is told to take two inputs',
    networks: [nets.D],
    source: `train D { data = mnist(pairs=true); loss = bce(output, same); optimizer = adam }`,
    code: 'NETC4015',
    at: 'mnist(pairs=true)',
    help: /two inputs/,
  },
  {
    name: 'a flat VAE fed MNIST images is told to flatten',
    networks: [nets.VAE],
    source: `train VAE { data = mnist; loss = kl_normal(mu, logvar); optimizer = adam }`,
    code: 'NETC4015',
    at: 'mnist',
    help: /flatten/,
  },
  {
    name: 'toy 2-D points do not fit an image network',
    networks: [nets.LeNet5],
    source: lenet('').replace('data = mnist', 'data = spirals(classes=10)'),
    code: 'NETC4015',
    at: 'spirals(classes=10)',
    help: /declare the input as `x: \[2\]`/,
  },
  // NETC4016 unknown name in a loss
  {
    name: 'a misspelled output gets a suggestion',
    networks: [nets.LeNet5],
    source: `train LeNet5 { data = mnist; loss = cross_entropy(outptu, label); optimizer = adam }`,
    code: 'NETC4016',
    at: 'outptu',
    help: /did you mean `output`\?/,
  },
  {
    name: '`output` in a section with phases says to apply a network',
    networks: [nets.G, nets.D],
    source: gan('', 'loss = bce(output, 1); update = G'),
    code: 'NETC4016',
    at: 'output',
    help: /apply one to a value, e\.g\. `D\(x\)`/,
  },
  {
    name: '`label` with image pairs says what pairs yield',
    networks: [nets.Siamese],
    source: `train Siamese { data = mnist(pairs=true); loss = contrastive(ea, eb, label); optimizer = adam }`,
    code: 'NETC4016',
    at: 'label',
    help: /yields `x1`, `x2` and `same`/,
  },
  // NETC4017 unknown loss function
  {
    name: 'a misspelled loss function gets a suggestion',
    networks: [nets.LeNet5],
    source: `train LeNet5 { data = mnist; loss = crossentropy(output, label); optimizer = adam }`,
    code: 'NETC4017',
    at: 'crossentropy',
    help: /did you mean `cross_entropy`\?/,
  },
  {
    name: 'an unknown loss function lists the losses',
    networks: [nets.LeNet5],
    source: `train LeNet5 { data = mnist; loss = nll(output, label); optimizer = adam }`,
    code: 'NETC4017',
    at: 'nll',
    help: /`mse`, `l1`, `cross_entropy`, `bce`, `kl_normal`, `contrastive`/,
  },
  // NETC4018 invalid loss expression
  {
    name: 'two losses cannot be multiplied',
    networks: [nets.Sparse],
    source: `train Sparse { data = mnist; loss = mse(output, x) * l1(code); optimizer = adam }`,
    code: 'NETC4018',
    at: '*',
  },
  {
    name: 'a loss cannot be scaled by a tensor',
    networks: [nets.Sparse],
    source: `train Sparse { data = mnist; loss = code * mse(output, x); optimizer = adam }`,
    code: 'NETC4018',
    at: 'code',
    message: /only be scaled by a constant, not by `code`/,
  },
  {
    name: 'losses cannot be subtracted',
    networks: [nets.Sparse],
    source: `train Sparse { data = mnist; loss = mse(output, x) - l1(code); optimizer = adam }`,
    code: 'NETC4018',
    at: '-',
  },
  {
    name: 'a negative loss weight is rejected',
    networks: [nets.Sparse],
    source: `train Sparse { data = mnist; loss = mse(output, x) + -0.5 * l1(code); optimizer = adam }`,
    code: 'NETC4018',
    at: '-0.5',
  },
  {
    name: 'a bare output is not a loss',
    networks: [nets.LeNet5],
    source: `train LeNet5 { data = mnist; loss = output; optimizer = adam }`,
    code: 'NETC4018',
    at: 'output',
    help: /apply a loss function to it/,
  },
  {
    name: 'a network application is not a loss',
    networks: [nets.G, nets.D],
    source: gan('', 'loss = D(G(z)); update = G'),
    code: 'NETC4018',
    at: 'D(G(z))',
  },
  // NETC4019 loss arguments do not match
  {
    name: 'cross-entropy on an image output needs class scores',
    networks: [nets.Sparse],
    source: `train Sparse { data = mnist; loss = cross_entropy(output, label); optimizer = adam }`,
    code: 'NETC4019',
    at: 'output',
  },
  {
    name: 'mse between outputs of different shapes',
    networks: [nets.VAE],
    source: `train VAE { data = idx("i", "l"); loss = mse(recon, mu); optimizer = adam }`,
    code: 'NETC4019',
    at: 'mu',
    message: /`recon` has shape \[784\] and `mu` has shape \[20\]/,
  },
  {
    name: 'mse between a flat output and an image suggests a reshape',
    networks: [nets.Flat],
    source: `train Flat { data = mnist; loss = mse(output, x); optimizer = adam }`,
    code: 'NETC4019',
    at: 'x',
    help: /reshape\(\[1, 28, 28\]\)/,
  },
  {
    name: 'kl_normal needs mu and logvar of one shape',
    networks: [nets.VAE],
    source: `train VAE { data = idx("i", "l"); loss = kl_normal(mu, recon); optimizer = adam }`,
    code: 'NETC4019',
    at: 'recon',
  },
  {
    name: 'cross-entropy on a single output suggests bce',
    networks: [nets.Xor],
    source: `train Xor { data = xor; loss = cross_entropy(output, label); optimizer = adam }`,
    code: 'NETC4019',
    at: 'output',
    help: /use `bce`/,
  },
  // NETC4020 target does not fit the loss
  {
    name: 'a label with more classes than the output has scores',
    networks: [nets.Spiral],
    source: `train Spiral { data = spirals(classes=4); loss = cross_entropy(output, label); optimizer = adam }`,
    code: 'NETC4020',
    at: 'label',
    message: /`label` has 4 classes, but `output` has 3 scores/,
    help: /dense\(4\)/,
  },
  {
    name: 'mse against a class index suggests cross-entropy',
    networks: [nets.LeNet5],
    source: `train LeNet5 { data = mnist; loss = mse(output, label); optimizer = adam }`,
    code: 'NETC4020',
    at: 'label',
    help: /cross_entropy\(output, label\)/,
  },
  {
    name: 'a bce target outside [0, 1]',
    networks: [nets.G, nets.D],
    source: gan('', 'loss = bce(D(G(z)), 2); update = G'),
    code: 'NETC4020',
    at: '2',
  },
  {
    name: 'a binary label against a two-unit output with bce',
    networks: [nets.Identity],
    source: `train Identity { data = xor; loss = bce(output, label); optimizer = adam }`,
    code: 'NETC4020',
    at: 'label',
    help: /cross_entropy\(output, label\)/,
  },
  {
    name: 'contrastive needs a 0/1 label, not digit classes',
    networks: [nets.Encoder],
    source: `train Encoder { data = mnist; loss = contrastive(output, Encoder(x), label); optimizer = adam }`,
    code: 'NETC4020',
    at: 'label',
    help: /pairs=true/,
  },
  // NETC4021 wrong network application
  {
    name: 'a network applied to a value of the wrong shape',
    networks: [nets.G, nets.D],
    source: gan('', 'loss = bce(D(z), 1); update = G').replace('update = G', 'update = D'),
    code: 'NETC4021',
    at: 'z',
    message: /`D` expects `x: \[1, 28, 28\]`, but `z` has shape \[100\]/,
  },
  {
    name: 'a network with several outputs cannot be applied in a loss',
    networks: [nets.VAE, nets.G, nets.D],
    source: gan('', 'loss = bce(D(G(z)), 1) + mse(VAE(z), 0); update = G'),
    code: 'NETC4021',
    at: 'VAE(z)',
  },
  {
    name: 'a class label is not a network input',
    networks: [nets.G, nets.D],
    source: gan('', 'loss = bce(D(label), 1); update = D'),
    code: 'NETC4021',
    at: 'label',
  },
  // NETC4022 expected a tensor
  {
    name: 'a bare network name in a loss must be applied',
    networks: [nets.G, nets.D],
    source: gan('', 'loss = bce(D, 1); update = D'),
    code: 'NETC4022',
    at: 'D',
    help: /`D\(x\)`/,
  },
  {
    name: 'arithmetic on tensors is not part of the loss language',
    networks: [nets.Sparse],
    source: `train Sparse { data = mnist; loss = mse(output * 2, x); optimizer = adam }`,
    code: 'NETC4022',
    at: 'output * 2',
  },
  {
    name: 'an activity penalty needs a tensor, not a label',
    networks: [nets.Sparse],
    source: `train Sparse { data = mnist; loss = mse(output, x) + l1(label); optimizer = adam }`,
    code: 'NETC4022',
    at: 'label',
  },
  {
    name: 'a loss nested in a loss',
    networks: [nets.Sparse],
    source: `train Sparse { data = mnist; loss = mse(l1(code), 0); optimizer = adam }`,
    code: 'NETC4022',
    at: 'l1(code)',
  },
  // NETC4023 loss does not use the trained network
  {
    name: 'a loss that never reads the network cannot train it',
    networks: [nets.Sparse],
    source: `train Sparse { data = mnist; loss = mse(x, 0); optimizer = adam }`,
    code: 'NETC4023',
    at: 'mse(x, 0)',
  },
  // NETC4024 unknown optimizer
  {
    name: 'a misspelled optimizer gets a suggestion',
    networks: [nets.LeNet5],
    source: lenet('').replace('optimizer = adam', 'optimizer = adma(lr=1e-3)'),
    code: 'NETC4024',
    at: 'adma',
    help: /did you mean `adam`\?/,
  },
  // NETC4025 unknown schedule
  {
    name: 'a misspelled schedule gets a suggestion',
    networks: [nets.LeNet5],
    source: lenet('schedule = cosin(10)'),
    code: 'NETC4025',
    at: 'cosin',
    help: /did you mean `cosine`\?/,
  },
  // NETC4026 unknown regularizer
  {
    name: 'an unknown regularizer lists the regularizers',
    networks: [nets.LeNet5],
    source: lenet('regularize = dropout(0.5)'),
    code: 'NETC4026',
    at: 'dropout',
    help: /`l2`, `l1`/,
  },
  // NETC4027 unknown metric
  {
    name: 'a misspelled metric gets a suggestion',
    networks: [nets.LeNet5],
    source: lenet('metrics = [acuracy]'),
    code: 'NETC4027',
    at: 'acuracy',
    help: /did you mean `accuracy`\?/,
  },
  // NETC4028 metric does not fit the network
  {
    name: 'accuracy on a network with several outputs',
    networks: [nets.VAE],
    source: `train VAE { data = idx("i", "l"); loss = bce(recon, x) + kl_normal(mu, logvar); optimizer = adam; metrics = [accuracy] }`,
    code: 'NETC4028',
    at: 'accuracy',
  },
  {
    name: 'accuracy on an image output',
    networks: [nets.Sparse],
    source: `train Sparse { data = mnist; loss = mse(output, x); optimizer = adam; metrics = [accuracy] }`,
    code: 'NETC4028',
    at: 'accuracy',
    help: /`mse` or `mae`/,
  },
  {
    name: 'mse as a metric needs a target the loss compares the output with',
    networks: [nets.LeNet5],
    source: lenet('metrics = [accuracy, mse]'),
    code: 'NETC4028',
    at: 'mse',
  },
  // NETC4029 unknown normalization
  {
    name: 'a misspelled normalization gets a suggestion',
    networks: [nets.LeNet5],
    source: lenet('normalize = standrad'),
    code: 'NETC4029',
    at: 'standrad',
    help: /did you mean `standard`\?/,
  },
  // NETC4030 unknown augmentation
  {
    name: 'an unknown augmentation lists the augmentations',
    networks: [nets.LeNet5],
    source: lenet('augment = [shift(2), rotate(10)]'),
    code: 'NETC4030',
    at: 'rotate',
    help: /`shift`, `flip_horizontal`, `brightness`/,
  },
  // NETC4031 augmentation needs images
  {
    name: 'augmenting 2-D points is rejected',
    networks: [nets.Xor],
    source: `train Xor { data = xor; loss = bce(output, label); optimizer = adam; augment = [flip_horizontal] }`,
    code: 'NETC4031',
    at: 'flip_horizontal',
  },
  // NETC4032 unknown layer to freeze
  {
    name: 'a misspelled layer to freeze gets a suggestion',
    networks: [nets.Transfer],
    source: `train Transfer { data = mnist; loss = cross_entropy(output, label); optimizer = adam; freeze = [featurs] }`,
    code: 'NETC4032',
    at: 'featurs',
    help: /did you mean `features`\?/,
  },
  // NETC4033 frozen layer has no parameters (a warning)
  {
    name: 'freezing a layer without parameters warns',
    networks: [nets.Transfer],
    source: `train Transfer { data = mnist; loss = cross_entropy(output, label); optimizer = adam; freeze = ["features.relu_0"] }`,
    code: 'NETC4033',
    at: '"features.relu_0"',
  },
  // NETC4034 setting needs a single trained network
  {
    name: 'metrics in a section with phases',
    networks: [nets.G, nets.D],
    source: gan('metrics = [accuracy]'),
    code: 'NETC4034',
    at: 'metrics',
  },
  {
    name: 'weights in a section with phases',
    networks: [nets.G, nets.D],
    source: gan('weights = "gan.safetensors"'),
    code: 'NETC4034',
    at: 'weights',
  },
  // NETC4035 updated network not used by the loss
  {
    name: 'a phase updating a network its loss does not read',
    networks: [nets.G, nets.D],
    source: gan('', 'loss = bce(D(x), 1); update = G'),
    code: 'NETC4035',
    at: 'G',
    help: /the loss uses `D`/,
  },
  // NETC4036 duplicate name
  {
    name: 'two phases with one name',
    networks: [nets.G, nets.D],
    source: gan('').replace('phase generator', 'phase discriminator'),
    code: 'NETC4036',
    at: 'discriminator',
  },
  {
    name: 'noise named like a data field',
    networks: [nets.G, nets.D],
    source: gan('noise x: [3] ~ normal'),
    code: 'NETC4036',
    at: 'x',
    message: /the data field `x`/,
  },
  {
    name: 'noise declared twice',
    networks: [nets.G, nets.D],
    source: gan('noise z: [3] ~ normal'),
    code: 'NETC4036',
    at: 'z',
  },
  {
    name: 'a metric listed twice',
    networks: [nets.LeNet5],
    source: lenet('metrics = [accuracy, f1, accuracy]'),
    code: 'NETC4036',
    at: 'accuracy',
  },
  // NETC4037 unknown noise distribution
  {
    name: 'an unknown noise distribution',
    networks: [nets.G, nets.D],
    source: gan('noise w: [4] ~ gaussian'),
    code: 'NETC4037',
    at: 'gaussian',
    help: /normal/,
  },
  // NETC4038 nothing to train
  {
    name: 'freezing every layer leaves nothing to train',
    networks: [nets.MLP],
    source: `train MLP { data = idx("i", "l"); loss = cross_entropy(output, label); optimizer = adam; freeze = [dense_0, dense_1] }`,
    code: 'NETC4038',
    at: 'MLP',
  },
  {
    name: 'a network without parameters has nothing to train',
    networks: [nets.Identity],
    source: `train Identity { data = xor; loss = cross_entropy(output, label); optimizer = adam }`,
    code: 'NETC4038',
    at: 'Identity',
  },
];

describe('train sections with one mistake each', () => {
  it.each(cases)('$name ($code)', ({ source, networks, broken, code, at, message, help, also }) => {
    const result = check(source, networks, { broken: broken ?? [] });
    expect(result.diagnostics.map((d) => d.code).sort()).toEqual([code, ...(also ?? [])].sort());
    const diagnostic = result.diagnostics.find((d) => d.code === code)!;
    expect(result.at(diagnostic)).toBe(at);
    expect(diagnostic.message).toMatch(/^[^A-Z]/);
    if (message) expect(diagnostic.message).toMatch(message);
    if (help) expect(diagnostic.help).toMatch(help);
    if (diagnostic.severity === 'error') expect(result.config).toBeUndefined();
    else expect(result.config).toBeDefined();
  });

  it('covers every NETC4xxx code', () => {
    const covered = new Set(cases.map((c) => c.code));
    expect(
      Object.keys(trainCodes).filter((code) => !covered.has(code as keyof typeof trainCodes)),
    ).toEqual([]);
  });
});

describe('sections that depend on networks with errors', () => {
  it('says nothing more about a trained network that had errors', () => {
    const result = check(
      `train Broken { data = mnist; loss = cross_entropy(output, label); optimizer = adam; freeze = [x] }`,
      [],
      { broken: ['Broken'] },
    );
    expect(result.diagnostics).toEqual([]);
    expect(result.config).toBeUndefined();
  });

  it('says nothing about applications of a network that had errors, but checks the rest', () => {
    const result = check(
      gan('', 'loss = bce(D(Broken(z)), 1) + bce(D(x), 3); update = G'),
      [nets.G, nets.D],
      {
        broken: ['Broken'],
      },
    );
    expect(result.diagnostics.map((d) => d.code)).toEqual(['NETC4020']);
  });

  it('does not report unknown loss names when the data source was wrong', () => {
    const result = check(
      `train LeNet5 { data = mnsit; loss = cross_entropy(output, label); optimizer = adam }`,
      [nets.LeNet5],
    );
    expect(result.diagnostics.map((d) => d.code)).toEqual(['NETC4013']);
  });

  it('reports every independent mistake of one section', () => {
    const result = check(
      `train LeNet5 { data = mnist(train=20000); loss = crossentropy(output, label); optimizer = adma; batch = 0; metrics = [acc] }`,
      [nets.LeNet5],
    );
    expect(result.diagnostics.map((d) => d.code).sort()).toEqual([
      'NETC4007',
      'NETC4014',
      'NETC4017',
      'NETC4024',
      'NETC4027',
    ]);
  });
});
