import type { CstNode } from 'chevrotain';
import type { Span } from '../../source.js';
import type {
  BlockParam,
  Definition,
  Identifier,
  NetworkInput,
  NetworkOutput,
  StringLiteral,
} from '../ast.js';
import { pointSpan, tokenSpan } from '../spans.js';
import {
  after,
  childNode,
  childNodes,
  childToken,
  childTokens,
  cover,
  identifier,
  onlyChildNode,
  startOf,
  type AstContext,
} from './cst.js';
import { toExpr, toList } from './expressions.js';
import { toBody } from './bodies.js';
import { stringLiteral } from './literals.js';
import { toTrainEntries } from './train.js';

/**
 * The AST of one `definition` CST node, or undefined when recovery left it without a name
 * (or an import without its path): such a definition cannot be referred to anyway.
 */
export function toDefinition(
  ctx: AstContext,
  node: CstNode,
  doc: string | undefined,
): Definition | undefined {
  const inner = onlyChildNode(node);
  const start = inner ? startOf(inner) : undefined;
  if (!inner || start === undefined) return undefined;
  // The span ends with the definition's last part; set once that part is built.
  const from = pointSpan(ctx.file, start);
  const spanTo = (...parts: Parameters<typeof cover>[1]) =>
    cover(ctx.file, [{ span: from }, ...parts])!;
  const docField = doc === undefined ? {} : { doc };
  switch (inner.name) {
    case 'importDefinition': {
      const pathToken = childToken(inner, 'StringLiteral');
      if (!pathToken) return undefined;
      const path: StringLiteral = stringLiteral(ctx.file, pathToken);
      const namesNode = childNode(inner, 'importNames');
      const names = namesNode
        ? childTokens(namesNode, 'Identifier').map((t) => identifier(ctx.file, t))
        : undefined;
      return { kind: 'Import', ...(names ? { names } : {}), path, span: spanTo(path) };
    }
    case 'constDefinition': {
      const name = childToken(inner, 'Identifier');
      if (!name) return undefined;
      const value = toExpr(ctx, childNode(inner, 'expression'), after(ctx.file, name, from));
      const span = spanTo(value);
      return { kind: 'Const', name: identifier(ctx.file, name), value, ...docField, span };
    }
    case 'blockDefinition': {
      const name = childToken(inner, 'Identifier');
      if (!name) return undefined;
      const params = blockParams(ctx, childNode(inner, 'blockParameters'));
      const body = toBody(ctx, childNode(inner, 'body'), after(ctx.file, name, from));
      const span = spanTo(name, body);
      return { kind: 'Block', name: identifier(ctx.file, name), params, body, ...docField, span };
    }
    case 'networkDefinition': {
      const name = childToken(inner, 'Identifier');
      if (!name) return undefined;
      const inputs = networkInputs(ctx, childNode(inner, 'networkInputs'));
      const outputsNode = childNode(inner, 'networkOutputs');
      // A declaration cut short by an error declares nothing (its error is reported already).
      const outputs =
        outputsNode && !outputsNode.recoveredNode
          ? networkOutputs(ctx, outputsNode, from)
          : undefined;
      const body = toBody(ctx, childNode(inner, 'body'), after(ctx.file, name, from));
      const span = spanTo(name, body);
      return {
        kind: 'Network',
        name: identifier(ctx.file, name),
        inputs,
        ...(outputs ? { outputs } : {}),
        body,
        ...docField,
        span,
      };
    }
    default: {
      const target = childToken(inner, 'Identifier');
      if (!target) return undefined;
      const block = childNode(inner, 'trainBlock');
      const entries = toTrainEntries(ctx, block);
      const span = spanTo(target, ...entries, childToken(block, 'RCurly'));
      return { kind: 'Train', target: identifier(ctx.file, target), entries, ...docField, span };
    }
  }
}

function blockParams(ctx: AstContext, node: CstNode | undefined): BlockParam[] {
  return childNodes(node, 'blockParameter').flatMap((param) => {
    const name = childToken(param, 'name');
    if (!name) return [];
    const typeToken = childToken(param, 'type');
    const type = typeToken
      ? { kind: 'TypeRef' as const, name: typeToken.image, span: tokenSpan(ctx.file, typeToken) }
      : undefined;
    const defaultNode = childNode(param, 'default');
    const defaultValue = defaultNode
      ? toExpr(
          ctx,
          defaultNode,
          after(ctx.file, childToken(param, 'Equals') ?? name, tokenSpan(ctx.file, name)),
        )
      : undefined;
    const blockParam: BlockParam = {
      kind: 'BlockParam',
      name: identifier(ctx.file, name),
      ...(type ? { type } : {}),
      ...(defaultValue ? { default: defaultValue } : {}),
      span: cover(ctx.file, [name, type, defaultValue])!,
    };
    return [blockParam];
  });
}

function networkInputs(ctx: AstContext, node: CstNode | undefined): NetworkInput[] {
  return childNodes(node, 'networkInput').flatMap((input) => {
    const named = namedShape(ctx, input);
    return named ? [{ kind: 'NetworkInput' as const, ...named }] : [];
  });
}

function networkOutputs(ctx: AstContext, node: CstNode, fallback: Span): NetworkOutput[] {
  const unnamed = childNode(node, 'list');
  if (unnamed) {
    const shape = toList(ctx, unnamed, fallback);
    return [{ kind: 'NetworkOutput', shape, span: shape.span }];
  }
  return childNodes(node, 'namedOutput').flatMap((output) => {
    const named = namedShape(ctx, output);
    return named ? [{ kind: 'NetworkOutput' as const, ...named }] : [];
  });
}

/** `name: [shape]` */
function namedShape(ctx: AstContext, node: CstNode) {
  const nameToken = childToken(node, 'Identifier');
  if (!nameToken) return undefined;
  const name: Identifier = identifier(ctx.file, nameToken);
  const shape = toList(
    ctx,
    childNode(node, 'list'),
    after(ctx.file, childToken(node, 'Colon'), name.span),
  );
  return { name, shape, span: cover(ctx.file, [nameToken, shape])! };
}
