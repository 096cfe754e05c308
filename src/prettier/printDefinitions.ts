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
import { printBracketed, printExpr, printIdentifier, type ExprPrinter } from './printExpressions.js';
import { exprPrinter, printBody } from './printStatements.js';
import { printTrain } from './printTrain.js';
import { printEndComments, printItems } from './sequence.js';

const { hardline } = doc.builders;

/*
 * The file: one definition per paragraph, exactly one blank line between definitions
 * (consecutive imports, and consecutive constants, may stay together).
 */

export function printProgram(program: Program, ctx: PrintContext): Doc {
  const definitions = printItems(program.definitions, (definition) => printDefinition(definition, ctx), ctx, (previous, next) =>
    previous.kind === next.kind && (next.kind === 'Import' || next.kind === 'Const') ? 'as-written' : 'always',
  );
  const last = program.definitions[program.definitions.length - 1];
  const end = printEndComments(attachedTo(program, ctx).dangling, last, ctx);
  const content = [...definitions, ...end];
  return content.length === 0 ? '' : [...content, hardline];
}

function printDefinition(definition: Definition, ctx: PrintContext): Doc {
  const p = exprPrinter(ctx);
  switch (definition.kind) {
    case 'Import':
      return [
        'import ',
        definition.names
          ? [printBracketed('{', '}', definition.names.map((name) => printIdentifier(name, ctx)), [], ctx, { spaced: true }), ' from ']
          : '',
        printExpr(definition.path, p, false),
      ];
    case 'Const':
      return ['const ', printIdentifier(definition.name, ctx), ' = ', printExpr(definition.value, p, false)];
    case 'Block':
      return printBlock(definition, p);
    case 'Network':
      return printNetwork(definition, p);
    case 'Train':
      return printTrain(definition, ctx);
  }
}

function printBlock(block: BlockDecl, p: ExprPrinter): Doc {
  const params =
    block.params.length > 0 || nextCodeChar(p.ctx, block.name.span.end) === '('
      ? printBracketed('(', ')', block.params.map((param) => printParam(param, p)), [], p.ctx)
      : '';
  return ['block ', printIdentifier(block.name, p.ctx), params, ' ', printBody(block.body, p.ctx)];
}

/** `out: int`, `stride: int = 1`, `act = relu` */
function printParam(param: BlockParam, p: ExprPrinter): Doc {
  return withComments(param, p.ctx, [
    printIdentifier(param.name, p.ctx),
    param.type ? [': ', withComments(param.type, p.ctx, param.type.name)] : '',
    param.default ? [' = ', printExpr(param.default, p, true)] : '',
  ]);
}

function printNetwork(network: NetworkDecl, p: ExprPrinter): Doc {
  const inputs = printBracketed('(', ')', network.inputs.map((input) => printShaped(input, p)), [], p.ctx);
  return [
    'network ',
    printIdentifier(network.name, p.ctx),
    inputs,
    network.outputs ? [' -> ', printOutputs(network.outputs, p)] : '',
    ' ',
    printBody(network.body, p.ctx),
  ];
}

/** `-> [10]` or `-> (recon: [784], mu: [20])` */
function printOutputs(outputs: readonly NetworkOutput[], p: ExprPrinter): Doc {
  const [only] = outputs;
  if (outputs.length === 1 && only && !only.name) return withComments(only, p.ctx, printExpr(only.shape, p, false));
  return printBracketed('(', ')', outputs.map((output) => printShaped(output, p)), [], p.ctx);
}

/** `x: [1, 28, 28]` */
function printShaped(node: NetworkInput | NetworkOutput, p: ExprPrinter): Doc {
  return withComments(node, p.ctx, [
    node.name ? [printIdentifier(node.name, p.ctx), ': '] : '',
    printExpr(node.shape, p, true),
  ]);
}
