import type { GeneratedCase } from './golden.js';

/*
 * Golden cases whose input is too big to keep in the repository: it is built here and
 * compiled in memory; the expected output lives in cases/generated/.
 */

/** Just over the 1 MiB source limit. */
const overLimit = 1024 * 1024 + 1;

/** A weight table pasted into a file as constants, one per line, until it passes `bytes`. */
function pastedWeights(bytes: number): string {
  const lines = ['// weights exported from a notebook, pasted here to keep them with the model'];
  let size = lines[0]!.length + 1;
  for (let i = 0; size < bytes; i++) {
    const line = `const w${i} = 0.${String((i * 7919) % 100000).padStart(5, '0')}`;
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join('\n') + '\n';
}

export const generatedCases: readonly GeneratedCase[] = [
  {
    name: 'NETC5001-pasted-weight-table-over-one-mebibyte',
    files: () => ({
      'NETC5001-pasted-weight-table-over-one-mebibyte.net':
        pastedWeights(overLimit) + 'network Net(x: [2]) -> [1] {\n  dense(1)\n}\n',
    }),
  },
  {
    name: 'NETC5001-imported-file-over-one-mebibyte',
    files: () => ({
      'NETC5001-imported-file-over-one-mebibyte.net': [
        'import "./imports/generated_weights.net"',
        '',
        'network Net(x: [2]) -> [1] {',
        '  dense(1)',
        '}',
        '',
      ].join('\n'),
      'imports/generated_weights.net': pastedWeights(overLimit),
    }),
  },
];
