import type { ParamId, ValueId } from '../../ir/ir.js';
import type { Span } from '../../source.js';
import type { Expr } from '../../syntax/ast.js';
import type { Module } from '../modules.js';
import type { ConstValue } from '../values.js';

/*
 * Lexical environments of the expander. Values are tensors in the graph being built;
 * everything else is known at compile time.
 */

/** A layer passed as an argument (`layer`-typed parameter): applied later, in its own scope. */
export interface LayerClosure {
  readonly expr: Expr;
  readonly env: Env;
}

/** `let enc = Encoder(64)`: every application reuses the same parameters. */
export interface SharedInstance {
  readonly name: string;
  readonly expr: Expr;
  readonly env: Env;
  readonly span: Span;
  /** Parameter ids by full parameter name, filled on first use. */
  readonly params: Map<string, ParamId>;
}

export type EnvEntry =
  | { readonly kind: 'const'; readonly value: ConstValue }
  | { readonly kind: 'layer'; readonly closure: LayerClosure }
  | { readonly kind: 'instance'; readonly instance: SharedInstance }
  | { readonly kind: 'value'; readonly id: ValueId; readonly span: Span; used: boolean };

export interface Env {
  readonly module: Module;
  readonly entries: Map<string, EnvEntry>;
  readonly parent?: Env;
}

export function rootEnv(module: Module): Env {
  return { module, entries: new Map() };
}

export function childEnv(parent: Env): Env {
  return { module: parent.module, entries: new Map(), parent };
}

export function lookupEntry(env: Env, name: string): EnvEntry | undefined {
  for (let e: Env | undefined = env; e; e = e.parent) {
    const entry = e.entries.get(name);
    if (entry) return entry;
  }
  return undefined;
}

export function entryNames(env: Env): string[] {
  const names: string[] = [];
  for (let e: Env | undefined = env; e; e = e.parent) names.push(...e.entries.keys());
  return names;
}
