import { parseSource } from '../../src/compiler/syntax/parse.js';

/**
 * The syntax tree of `text` without positions: formatting must not change it. (Equal
 * tokens are not enough: a line break in the wrong place would split one statement in two.)
 */
export function treeWithoutPositions(text: string): unknown {
  const { program, diagnostics } = parseSource({ path: 'input.net', text });
  if (diagnostics.length > 0)
    throw new Error(`does not parse: ${diagnostics.map((d) => d.message).join('; ')}`);
  return JSON.parse(
    JSON.stringify(program.definitions, (key, value: unknown) =>
      key === 'span' || key === 'operatorSpan' ? undefined : value,
    ),
  );
}
