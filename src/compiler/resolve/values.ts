import type { Span } from '../source.js';

/** A compile-time value: what `const`s, block arguments and layer arguments evaluate to. */
export type ConstValue =
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'string'; readonly value: string }
  /** A bare word with no other meaning in scope, such as `same`, `valid`, `nearest`, `normal`. */
  | { readonly kind: 'symbol'; readonly name: string }
  | { readonly kind: 'list'; readonly items: readonly ConstValue[] }
  | { readonly kind: 'tuple'; readonly items: readonly ConstValue[] };

export interface SpannedValue {
  readonly value: ConstValue;
  readonly span: Span;
}

export function describeValue(value: ConstValue): string {
  switch (value.kind) {
    case 'int':
    case 'float':
      return String(value.value);
    case 'bool':
      return String(value.value);
    case 'string':
      return JSON.stringify(value.value);
    case 'symbol':
      return value.name;
    case 'list':
      return `[${value.items.map(describeValue).join(', ')}]`;
    case 'tuple':
      return `(${value.items.map(describeValue).join(', ')})`;
  }
}

export function kindName(value: ConstValue): string {
  return value.kind === 'symbol' ? 'a name' : `${value.kind === 'int' ? 'an' : 'a'} ${value.kind}`;
}
