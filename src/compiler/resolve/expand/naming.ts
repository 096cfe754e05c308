import type { ParamId } from '../../ir/ir.js';
import type { Span } from '../../source.js';

/*
 * Stable layer names (LANGUAGE §3): unnamed layers are `<op>_<k>`, counted per kind inside
 * their enclosing scope; block and network instances open a scope (`ConvBN_1.conv2d_0`);
 * combinators do not; inside `repeat`, explicit names get the iteration index appended.
 */
export interface NameScope {
  readonly prefix: string;
  readonly counters: Map<string, number>;
  /** Explicit names used in this scope, with the instance that owns them (for `let`). */
  readonly explicit: Map<string, { readonly span: Span; readonly owner: object | undefined }>;
  readonly repeatSuffix: string;
  /** Set while expanding a `let` instance: parameters are looked up here before being created. */
  readonly shared: Map<string, ParamId> | undefined;
}

export function rootScope(): NameScope {
  return {
    prefix: '',
    counters: new Map(),
    explicit: new Map(),
    repeatSuffix: '',
    shared: undefined,
  };
}

/** The scope inside an instance called `fullName`. */
export function instanceScope(
  fullName: string,
  shared: Map<string, ParamId> | undefined,
): NameScope {
  return {
    prefix: `${fullName}.`,
    counters: new Map(),
    explicit: new Map(),
    repeatSuffix: '',
    shared,
  };
}

export function repeatIterationScope(scope: NameScope, index: number): NameScope {
  return { ...scope, repeatSuffix: `${scope.repeatSuffix}_${index}` };
}

export function withShared(scope: NameScope, shared: Map<string, ParamId>): NameScope {
  return { ...scope, shared };
}

/** The next automatic name for `kind` (`conv2d_0`, `ResBlock_1`), fully qualified. */
export function autoName(scope: NameScope, kind: string): string {
  const k = scope.counters.get(kind) ?? 0;
  scope.counters.set(kind, k + 1);
  return `${scope.prefix}${kind}_${k}`;
}

export type ExplicitNameResult =
  | { readonly ok: true; readonly fullName: string }
  | { readonly ok: false; readonly firstSpan: Span };

/** Claims an explicit name; a second claim by a different owner is a duplicate. */
export function explicitName(
  scope: NameScope,
  name: string,
  span: Span,
  owner: object | undefined,
): ExplicitNameResult {
  const local = `${name}${scope.repeatSuffix}`;
  const previous = scope.explicit.get(local);
  if (previous && (owner === undefined || previous.owner !== owner))
    return { ok: false, firstSpan: previous.span };
  if (!previous) scope.explicit.set(local, { span, owner });
  return { ok: true, fullName: `${scope.prefix}${local}` };
}
