import { doc, type Doc } from 'prettier';
import type {
  BlockDecl,
  BlockParam,
  Definition,
  NetworkDecl,
  NetworkInput,
  NetworkOutput,
  Program,
} from '../compiler/syntax/ast.js';
import { attachedTo, nextCodeChar, withComments, type PrintContext } from './comments.js';
import { printBracketed, printExpr, printIdentifier } from './printExpressions.js';
import { printBody } from './printStatements.js';
import { printTrain } from './printTrain.js';
import { printEndComments, printItems } from './sequence.js';

const { hardline } = doc.builders;

/*
 * The file: one definition per paragraph, exactly one blank line between definitions
 * (consecutive imports, and consecutive constants, may stay together).
 */

export function printProgram(program: Program, ctx: PrintContext): Doc {
  const definitions = printItems(
    program.definitions,
    (definition) => printDefinition(definition, ctx),
    ctx,
    (previous, next) =>
      previous.kind === next.kind && (next.kind === 'Import' || next.kind === 'Const')
        ? 'as-written'
        : 'always',
  );
  const last = program.definitions[program.definitions.length - 1];
  const end = printEndComments(attachedTo(program, ctx).dangling, last, ctx);
  const content = [...definitions, ...end];
  return content.length === 0 ? '' : [...content, hardline];
}

function printDefinition(definition: Definition, ctx: PrintContext): Doc {
  switch (definition.kind) {
    case 'Import':
      return [
        'import ',
        definition.names
          ? [
              printBracketed(
                '{',
                '}',
                definition.names.map((name) => printIdentifier(name, ctx)),
                [],
                ctx,
                { spaced: true },
              ),
              ' from ',
            ]
          : '',
        printExpr(definition.path, ctx, false),
      ];
    case 'Const':
      return [
        'const ',
        printIdentifier(definition.name, ctx),
        ' = ',
        printExpr(definition.value, ctx, false),
      ];
    case 'Block':
      return printBlock(definition, ctx);
    case 'Network':
      return printNetwork(definition, ctx);
    case 'Train':
      return printTrain(definition, ctx);
  }
}

function printBlock(block: BlockDecl, ctx: PrintContext): Doc {
  const params =
    block.params.length > 0 || nextCodeChar(ctx, block.name.span.end) === '('
      ? printBracketed(
          '(',
          ')',
          block.params.map((param) => printParam(param, ctx)),
          [],
          ctx,
        )
      : '';
  return ['block ', printIdentifier(block.name, ctx), params, ' ', printBody(block.body, ctx)];
}

/** `out: int`, `stride: int = 1`, `act = relu` */
function printParam(param: BlockParam, ctx: PrintContext): Doc {
  return withComments(param, ctx, [
    printIdentifier(param.name, ctx),
    param.type ? [': ', withComments(param.type, ctx, param.type.name)] : '',
    param.default ? [' = ', printExpr(param.default, ctx, true)] : '',
  ]);
}

function printNetwork(network: NetworkDecl, ctx: PrintContext): Doc {
  const inputs = printBracketed(
    '(',
    ')',
    network.inputs.map((input) => printShaped(input, ctx)),
    [],
    ctx,
  );
  return [
    'network ',
    printIdentifier(network.name, ctx),
    inputs,
    network.outputs ? [' -> ', printOutputs(network.outputs, ctx)] : '',
    ' ',
    printBody(network.body, ctx),
  ];
}

/** `-> [10]` or `-> (recon: [784], mu: [20])` */
function printOutputs(outputs: readonly NetworkOutput[], ctx: PrintContext): Doc {
  const [only] = outputs;
  if (outputs.length === 1 && only && !only.name)
    return withComments(only, ctx, printExpr(only.shape, ctx, false));
  return printBracketed(
    '(',
    ')',
    outputs.map((output) => printShaped(output, ctx)),
    [],
    ctx,
  );
}

/** `x: [1, 28, 28]` */
function printShaped(node: NetworkInput | NetworkOutput, ctx: PrintContext): Doc {
  return withComments(node, ctx, [
    node.name ? [printIdentifier(node.name, ctx), ': '] : '',
    printExpr(node.shape, ctx, true),
  ]);
}
