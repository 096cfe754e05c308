import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeFile } from '../../src/compiler/compile.js';
import { parseSource } from '../../src/compiler/syntax/parse.js';
import type { IRNetwork } from '../../src/compiler/ir/ir.js';

/*
 * The examples of LANGUAGE §8 are the project's showcase: each must compile cleanly, and the
 * classic architectures must have exactly the parameter counts of their PyTorch references.
 */

const examplesDir = fileURLToPath(new URL('../../examples/', import.meta.url));

/** Every file LANGUAGE §8 lists, with the networks it defines and its `train` sections. */
const examples: Record<string, { networks: readonly string[]; trains: readonly string[] }> = {
  'mlp.net': { networks: ['MLP'], trains: ['MLP'] },
  'keras_cnn.net': { networks: ['KerasCNN'], trains: ['KerasCNN'] },
  'lenet5.net': { networks: ['LeNet5'], trains: ['LeNet5'] },
  'vgg16.net': { networks: ['VGG16'], trains: [] },
  'resnet18.net': { networks: ['ResNet18'], trains: [] },
  'googlenet.net': { networks: ['GoogLeNet'], trains: [] },
  'xor.net': { networks: ['XOR'], trains: ['XOR'] },
  'autoencoder.net': {
    networks: ['SparseAE', 'DenoisingAE'],
    trains: ['SparseAE', 'DenoisingAE'],
  },
  'vae.net': { networks: ['VAE'], trains: ['VAE'] },
  'gan.net': { networks: ['G', 'D'], trains: ['GAN'] },
  'siamese.net': { networks: ['Siamese'], trains: ['Siamese'] },
  'transfer.net': { networks: ['Features', 'Classifier'], trains: ['Classifier'] },
};

const scratch = mkdtempSync(join(tmpdir(), 'netc-examples-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Trainable parameter elements, as `sum(p.numel() for p in model.parameters())` counts them. */
function trainableParameters(network: IRNetwork): number {
  const seen = new Set<number>();
  let total = 0;
  for (const param of network.params) {
    if (!param.trainable || seen.has(param.id)) continue;
    seen.add(param.id);
    total += param.shape.reduce((product, dim) => product * dim, 1);
  }
  return total;
}

/** Errors and warnings as one readable line each, so a failing test shows what went wrong. */
function problemsIn(path: string): string[] {
  const { diagnostics } = analyzeFile(path);
  return diagnostics
    .filter((d) => d.severity !== 'note')
    .map((d) => `${d.severity} ${d.code}: ${d.message}`);
}

function networkOf(file: string, name: string): IRNetwork {
  const { networks } = analyzeFile(join(examplesDir, file));
  const network = networks.get(name);
  if (network === undefined) throw new Error(`${file} has no network ${name}`);
  return network;
}

/** Writes a copy of an example with `from` replaced by `to` and returns its path. */
function mutatedCopy(file: string, from: string, to: string): string {
  const source = readFileSync(join(examplesDir, file), 'utf8');
  expect(source, `${file} should contain ${JSON.stringify(from)}`).toContain(from);
  const path = join(mkdtempSync(join(scratch, 'copy-')), file);
  writeFileSync(path, source.replace(from, to));
  return path;
}

describe('the bundled examples', () => {
  it('are exactly the files LANGUAGE §8 lists', () => {
    const present = readdirSync(examplesDir).filter((name) => name.endsWith('.net'));
    expect(present.sort()).toEqual(Object.keys(examples).sort());
  });

  it.each(Object.keys(examples))('%s compiles without errors or warnings', (file) => {
    expect(problemsIn(join(examplesDir, file))).toEqual([]);
  });

  it.each(Object.keys(examples))('%s documents every network and block with `///`', (file) => {
    const path = join(examplesDir, file);
    const { program } = parseSource({ path, text: readFileSync(path, 'utf8') });
    const undocumented = program.definitions
      .filter((d) => d.kind === 'Network' || d.kind === 'Block')
      .filter((d) => !d.doc?.trim())
      .map((d) => d.name.name);
    expect(undocumented).toEqual([]);
  });

  it.each(Object.entries(examples))('%s defines the networks it should', (file, expected) => {
    const { networks } = analyzeFile(join(examplesDir, file));
    expect([...networks.keys()].sort()).toEqual([...expected.networks].sort());
  });

  it.each(Object.entries(examples))('%s has every train section checked', (file, expected) => {
    const { trains } = analyzeFile(join(examplesDir, file));
    expect(trains.map((t) => t.name)).toEqual(expected.trains);
  });
});

describe('parameter counts match the reference models', () => {
  // Classic architectures: torchvision's `vgg16` and `resnet18`, LeNet-5, the seeds' models.
  // GoogLeNet follows the paper (a bias on every convolution, no batch norm, 5×5 convolutions
  // in the third branch), so it differs from torchvision's port (6,624,904). Per part:
  //   stem   conv 7×7 3→64: 9,472 · conv 1×1 64→64: 4,160 · conv 3×3 64→192: 110,784
  //   3a 163,696 · 3b 388,736 · 4a 376,176 · 4b 449,160 · 4c 510,104 · 4d 605,376
  //   4e 868,352 · 5a 1,043,456 · 5b 1,444,080 · dense 1024→1000: 1,025,000
  // e.g. 3a on 192 channels = 1×1→64: 12,352 + 1×1→96: 18,528 + 3×3 96→128: 110,720
  //   + 1×1→16: 3,088 + 5×5 16→32: 12,832 + pool, 1×1→32: 6,176 = 163,696.
  // Total: 124,416 + 6,849,136 + 1,025,000 = 6,998,552.
  it.each([
    ['vgg16.net', 'VGG16', 138_357_544],
    ['resnet18.net', 'ResNet18', 11_689_512],
    ['googlenet.net', 'GoogLeNet', 6_998_552],
    ['lenet5.net', 'LeNet5', 61_706],
    // 784·30 + 30 + 30·10 + 10
    ['mlp.net', 'MLP', 23_860],
    // conv 32·1·3·3 + 32 = 320; 26·26·32 = 21,632 → 21,632·128 + 128; 128·10 + 10
    ['keras_cnn.net', 'KerasCNN', 2_770_634],
    // 2·3 + 3 + 3·1 + 1
    ['xor.net', 'XOR', 13],
    ['autoencoder.net', 'SparseAE', 101_200],
    ['autoencoder.net', 'DenoisingAE', 201_616],
    ['vae.net', 'VAE', 652_824],
    ['gan.net', 'G', 559_632],
    ['gan.net', 'D', 533_505],
    // One shared encoder, counted once: 416 + 12,832 + 65,664 + 4,128.
    ['siamese.net', 'Siamese', 83_040],
    ['transfer.net', 'Classifier', 28_886],
  ] as const)('%s: %s has %i trainable parameters', (file, name, expected) => {
    expect(trainableParameters(networkOf(file, name))).toBe(expected);
  });

  it('does not count batch norm running statistics as parameters', () => {
    const resnet = networkOf('resnet18.net', 'ResNet18');
    const buffers = resnet.params.filter((p) => !p.trainable);
    expect(buffers.length).toBeGreaterThan(0);
    expect(buffers.every((p) => p.role === 'running_mean' || p.role === 'running_var')).toBe(true);
  });
});

describe('broken copies of the examples are caught', () => {
  it.each([
    ['lenet5.net', 'no `flatten` before a dense layer', '  flatten  ', '  ', 'NETC3001'],
    [
      'resnet18.net',
      'a stage that changes channels without a projection shortcut',
      'ResBlock(128, stride=2)',
      'ResBlock(128)',
      'NETC3008',
    ],
    [
      'vgg16.net',
      'an output that contradicts the declared [1000]',
      'dense(1000)',
      'dense(100)',
      'NETC3051',
    ],
    [
      'googlenet.net',
      'an Inception module missing an argument',
      '(64, 96, 128, 16, 32, 32)',
      '(64, 96, 128, 16, 32)',
      'NETC2007',
    ],
    [
      'mlp.net',
      'an input shape MNIST does not have',
      'x: [1, 28, 28]',
      'x: [3, 28, 28]',
      'NETC4015',
    ],
    ['transfer.net', 'a frozen layer that does not exist', '[features]', '[featurez]', 'NETC4032'],
    [
      'gan.net',
      'a phase that updates an unknown network',
      'update    = D',
      'update    = E',
      'NETC4001',
    ],
    [
      'siamese.net',
      'a loss on an unknown value',
      'contrastive(ea, eb',
      'contrastive(ea, ec',
      'NETC4016',
    ],
  ] as const)('%s with %s reports an error', (file, _what, from, to, code) => {
    const problems = problemsIn(mutatedCopy(file, from, to));
    expect(problems.filter((p) => p.startsWith(`error ${code}:`))).not.toEqual([]);
  });

  it('two calls of the encoder instead of one `let` instance double the Siamese parameters', () => {
    const path = mutatedCopy(
      'siamese.net',
      'ea = a -> enc\n  eb = b -> enc',
      'ea = a -> Encoder(32)\n  eb = b -> Encoder(32)',
    );
    const { networks } = analyzeFile(path);
    const siamese = networks.get('Siamese');
    expect(siamese && trainableParameters(siamese)).toBe(2 * 83_040);
  });
});
