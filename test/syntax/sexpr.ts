import type {
  Arg,
  Body,
  Definition,
  Expr,
  Statement,
  TrainEntry,
} from '../../src/compiler/syntax/ast.js';

/*
 * A compact, readable text form of the AST for shape assertions, e.g.
 * `(-> (conv2d 6 5 pad=2) tanh)`. Spans are left out; tests check them separately.
 */

export function exprText(e: Expr): string {
  switch (e.kind) {
    case 'Number':
      return e.text;
    case 'String':
      return JSON.stringify(e.value);
    case 'Boolean':
      return String(e.value);
    case 'Name':
      return e.name;
    case 'List':
      return `[${e.items.map(exprText).join(' ')}]`;
    case 'Tuple':
      return `(tuple ${e.items.map(exprText).join(' ')})`;
    case 'Group':
      return `(group ${exprText(e.expr)})`;
    case 'Unary':
      return `(${e.operator} ${exprText(e.operand)})`;
    case 'Binary':
      return `(${e.operator} ${exprText(e.left)} ${exprText(e.right)})`;
    case 'If':
      return `(if ${exprText(e.condition)} ${exprText(e.then)} ${exprText(e.else)})`;
    case 'Call': {
      const head = e.hasParens
        ? `(${[e.callee.name, ...e.args.map(argText)].join(' ')})`
        : e.callee.name;
      return e.body ? `${head}${bodyText(e.body)}` : head;
    }
    case 'Chain':
      return `(-> ${e.steps.map(exprText).join(' ')})`;
    case 'NamedLayer':
      return `(: ${e.name.name} ${exprText(e.layer)})`;
    case 'Ascribed':
      return `(:: ${exprText(e.expr)} ${exprText(e.shape)})`;
    case 'ErrorExpr':
      return '<error>';
  }
}

function argText(a: Arg): string {
  return a.kind === 'NamedArg' ? `${a.name.name}=${exprText(a.value)}` : exprText(a.value);
}

export function statementText(s: Statement): string {
  switch (s.kind) {
    case 'Step':
      return exprText(s.expr);
    case 'Bind':
      return `(= ${s.name.name} ${exprText(s.expr)})`;
    case 'Let':
      return `(let ${s.name.name} ${exprText(s.expr)})`;
    case 'Return':
      return `(return ${s.values.map(exprText).join(' ')})`;
  }
}

export function bodyText(b: Body): string {
  return `{${b.statements.map(statementText).join('; ')}}`;
}

function entryText(e: TrainEntry): string {
  switch (e.kind) {
    case 'Setting':
      return `(= ${e.key.name} ${exprText(e.value)})`;
    case 'Noise':
      return `(noise ${e.name.name} ${exprText(e.shape)} ${exprText(e.distribution)})`;
    case 'Phase':
      return `(phase ${[e.name.name, ...e.args.map(argText)].join(' ')} {${e.entries.map(entryText).join('; ')}})`;
  }
}

export function definitionText(d: Definition): string {
  switch (d.kind) {
    case 'Import':
      return d.names
        ? `(import (${d.names.map((n) => n.name).join(' ')}) ${JSON.stringify(d.path.value)})`
        : `(import ${JSON.stringify(d.path.value)})`;
    case 'Const':
      return `(const ${d.name.name} ${exprText(d.value)})`;
    case 'Block': {
      const params = d.params.map(
        (p) =>
          p.name.name +
          (p.type ? `:${p.type.name}` : '') +
          (p.default ? `=${exprText(p.default)}` : ''),
      );
      return `(block ${d.name.name} (${params.join(' ')}) ${bodyText(d.body)})`;
    }
    case 'Network': {
      const inputs = d.inputs.map((i) => `${i.name.name}:${exprText(i.shape)}`).join(' ');
      const outputs = d.outputs
        ? ` -> (${d.outputs.map((o) => (o.name ? `${o.name.name}:` : '') + exprText(o.shape)).join(' ')})`
        : '';
      return `(network ${d.name.name} (${inputs})${outputs} ${bodyText(d.body)})`;
    }
    case 'Train':
      return `(train ${d.target.name} {${d.entries.map(entryText).join('; ')}})`;
  }
}
