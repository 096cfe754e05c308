import type { DiagnosticBag, Label } from '../diagnostics/diagnostic.js';
import type { IRNetwork } from '../ir/ir.js';
import type { Shape } from '../ir/ops.js';
import { describeSource } from './dataSources.js';
import { elementCount, formatShape, listNames, plural, sameShape } from './describe.js';
import type { DataConfig, DataField } from './trainConfig.js';

type Feature = DataField & { readonly role: 'feature' };

/**
 * A plain section feeds the data's features to the network's inputs in declaration order:
 * as many features as inputs, each of the input's shape. Features whose shape only the file
 * knows (csv, idx) take the input's shape; the trainer checks the file against it.
 */
export function checkDataFitsNetwork(
  data: DataConfig,
  network: IRNetwork,
  diagnostics: DiagnosticBag,
): boolean {
  const features = data.fields.filter((f): f is Feature => f.role === 'feature');
  const inputs = network.inputs.map((input) => ({
    name: input.name,
    shape: network.nodes[input.value]?.shape ?? [],
    label: {
      span: network.nodes[input.value]?.origin.span ?? network.span,
      message: 'declared here',
    } as Label,
  }));
  if (features.length !== inputs.length) {
    const what = features[0]?.image
      ? plural(features.length, 'image')
      : plural(features.length, 'feature');
    diagnostics.error(
      'NETC4015',
      data.span,
      `${describeSource(data.source)} yields ${what}, but \`${network.name}\` takes ${plural(inputs.length, 'input')} (${listNames(inputs.map((i) => i.name))})`,
      {
        labels: [{ span: network.span, message: `\`${network.name}\` is defined here` }],
        help:
          features.length === 2
            ? `give the network two inputs, e.g. \`network ${network.name}(a: ${formatShape(features[0]!.shape ?? [])}, b: ${formatShape(features[1]!.shape ?? [])})\``
            : inputs.length === 2 && data.source.kind === 'mnist'
              ? 'use `mnist(pairs=true)` to feed two images'
              : undefined,
      },
    );
    return false;
  }
  let ok = true;
  features.forEach((feature, i) => {
    const input = inputs[i]!;
    if (feature.shape === undefined || sameShape(feature.shape, input.shape)) return;
    diagnostics.error(
      'NETC4015',
      data.span,
      `${describeSource(data.source)} yields \`${feature.name}\` of shape ${formatShape(feature.shape)}, but \`${network.name}\` expects \`${input.name}: ${formatShape(input.shape)}\``,
      { labels: [input.label], help: shapeHelp(input.name, feature.shape, input.shape) },
    );
    ok = false;
  });
  return ok;
}

function shapeHelp(name: string, yielded: Shape, expected: Shape): string {
  if (
    expected.length === 1 &&
    yielded.length > 1 &&
    elementCount(yielded) === elementCount(expected)
  ) {
    return `start the network with \`${name}: ${formatShape(yielded)}\` and \`flatten\``;
  }
  return `declare the input as \`${name}: ${formatShape(yielded)}\``;
}
