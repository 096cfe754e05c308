import { describe, expect, it } from 'vitest';
import type { Shape } from '../../src/compiler/ir/ops.js';
import { chain, same, succeed, type Step, type Totals } from './harness.js';

/*
 * Whole reference models built from the shape rules alone. Parameter counts are those of the
 * PyTorch reference implementations (torchvision); multiply-adds count conv and dense layers.
 */

const conv3 = (filters: number): Step => ['conv2d', { filters, k: 3, pad: 1 }];

describe('VGG16 on [3, 224, 224]', () => {
  const stage = (filters: number, convs: number): Step[] => [
    ...Array.from({ length: convs }, () => [conv3(filters), ['relu'] as Step]).flat(),
    ['maxpool', { k: 2 }],
  ];
  const vgg16 = chain(
    [3, 224, 224],
    [
      ...stage(64, 2),
      ...stage(128, 2),
      ...stage(256, 3),
      ...stage(512, 3),
      ...stage(512, 3),
      ['flatten'],
      ['dense', { units: 4096 }],
      ['relu'],
      ['dropout', { p: 0.5 }],
      ['dense', { units: 4096 }],
      ['relu'],
      ['dropout', { p: 0.5 }],
      ['dense', { units: 1000 }],
    ],
  );

  it('has 138,357,544 parameters, as torchvision.models.vgg16', () => {
    expect(vgg16.shape).toEqual([1000]);
    expect(vgg16.params).toBe(138_357_544);
  });

  it('costs 15,470,264,320 multiply-adds per image', () => {
    expect(vgg16.macs).toBe(15_470_264_320);
  });
});

describe('AlexNet (torchvision) on [3, 224, 224]', () => {
  const alexnet = chain(
    [3, 224, 224],
    [
      ['conv2d', { filters: 64, k: 11, stride: 4, pad: 2 }],
      ['relu'],
      ['maxpool', { k: 3, stride: 2 }],
      ['conv2d', { filters: 192, k: 5, pad: 2 }],
      ['relu'],
      ['maxpool', { k: 3, stride: 2 }],
      conv3(384),
      ['relu'],
      conv3(256),
      ['relu'],
      conv3(256),
      ['relu'],
      ['maxpool', { k: 3, stride: 2 }],
      ['flatten'],
      ['dense', { units: 4096 }],
      ['relu'],
      ['dense', { units: 4096 }],
      ['relu'],
      ['dense', { units: 1000 }],
    ],
  );

  it('has 61,100,840 parameters and 714,188,480 multiply-adds', () => {
    expect(alexnet.params).toBe(61_100_840);
    expect(alexnet.macs).toBe(714_188_480);
  });
});

describe('LeNet-5 as written in the language brief', () => {
  it('ends in [10] with 61,706 parameters', () => {
    const lenet = chain(
      [1, 28, 28],
      [
        ['conv2d', { filters: 6, k: 5, pad: 2 }],
        ['tanh'],
        ['avgpool', { k: 2 }],
        ['conv2d', { filters: 16, k: 5 }],
        ['tanh'],
        ['avgpool', { k: 2 }],
        ['flatten'],
        ['dense', { units: 120 }],
        ['tanh'],
        ['dense', { units: 84 }],
        ['tanh'],
        ['dense', { units: 10 }],
      ],
    );
    expect(lenet.shape).toEqual([10]);
    expect(lenet.params).toBe(61_706);
  });
});

describe('ResNet-18 on [3, 224, 224]', () => {
  const convBN = (filters: number, k: number, stride: number): Step[] => [
    ['conv2d', { filters, k, stride, pad: Math.floor(k / 2), bias: false }],
    ['batchnorm'],
  ];

  /** A basic block: two 3×3 convs plus a shortcut, projected when the shape changes. */
  function basicBlock(input: Totals, filters: number, stride: number): Totals {
    const body = chain(input.shape, [
      ...convBN(filters, 3, stride),
      ['relu'],
      ...convBN(filters, 3, 1),
    ]);
    const projects = stride !== 1 || input.shape[0] !== filters;
    const shortcut = projects
      ? chain(input.shape, convBN(filters, 1, stride))
      : { ...input, params: 0, macs: 0 };
    const sum = succeed('add', [shortcut.shape, body.shape]);
    return {
      shape: succeed('relu', [sum.shape]).shape,
      params: input.params + body.params + shortcut.params,
      macs: input.macs + body.macs + shortcut.macs,
    };
  }

  it('has 11,689,512 parameters and 1,814,073,344 multiply-adds', () => {
    let net = chain(
      [3, 224, 224],
      [...convBN(64, 7, 2), ['relu'], ['maxpool', { k: 3, stride: 2, pad: 1 }]],
    );
    for (const [filters, stride] of [
      [64, 1],
      [64, 1],
      [128, 2],
      [128, 1],
      [256, 2],
      [256, 1],
      [512, 2],
      [512, 1],
    ] as const) {
      net = basicBlock(net, filters, stride);
    }
    const head = chain(net.shape, [['global_avgpool'], ['dense', { units: 1000 }]]);
    expect(net.shape).toEqual([512, 7, 7] satisfies Shape);
    expect(head.shape).toEqual([1000]);
    expect(net.params + head.params).toBe(11_689_512);
    expect(net.macs + head.macs).toBe(1_814_073_344);
  });
});

describe('an Inception module (GoogLeNet 3a) on [192, 28, 28]', () => {
  it('concatenates four branches into [256, 28, 28]', () => {
    const input = [192, 28, 28];
    const branches = [
      chain(input, [['conv2d', { filters: 64, k: 1 }], ['relu']]),
      chain(input, [
        ['conv2d', { filters: 96, k: 1 }],
        ['relu'],
        ['conv2d', { filters: 128, k: 3, pad: same }],
        ['relu'],
      ]),
      chain(input, [
        ['conv2d', { filters: 16, k: 1 }],
        ['relu'],
        ['conv2d', { filters: 32, k: 5, pad: same }],
        ['relu'],
      ]),
      chain(input, [
        ['maxpool', { k: 3, stride: 1, pad: same }],
        ['conv2d', { filters: 32, k: 1 }],
        ['relu'],
      ]),
    ];
    expect(
      succeed(
        'concat',
        branches.map((b) => b.shape),
      ).shape,
    ).toEqual([256, 28, 28]);
    expect(branches.reduce((sum, b) => sum + b.params, 0)).toBe(163_696);
  });
});
