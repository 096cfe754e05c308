import { existsSync, readFileSync } from 'node:fs';
import vm from 'node:vm';
import type { ISerializedGast } from 'chevrotain';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  diagramsPageUrl,
  renderDiagramsPage,
  serializedGrammar,
} from '../../scripts/generate-diagrams.js';

const committedPage = (): string =>
  existsSync(diagramsPageUrl) ? readFileSync(diagramsPageUrl, 'utf8') : '<missing>';

/** The `src` and `href` attributes of the page: the renderer's scripts and stylesheet. */
const resourcesOf = (page: string): string[] =>
  [...page.matchAll(/\b(?:src|href)=["']([^"']+)["']/g)].map((match) => match[1] ?? '');

/** Every terminal (token) of the grammar, wherever it occurs. */
function terminalsOf(nodes: readonly ISerializedGast[]): ISerializedGast[] {
  return nodes.flatMap((node) => [
    ...(node.type === 'Terminal' ? [node] : []),
    ...terminalsOf(node.definition ?? []),
  ]);
}

const patternOf = (terminal: ISerializedGast): string | undefined => {
  const pattern = (terminal as { pattern?: unknown }).pattern;
  return typeof pattern === 'string' ? pattern : undefined;
};

/** Names of the rules that `node` refers to, wherever they occur in it. */
function nonTerminalsOf(node: ISerializedGast): string[] {
  return [
    ...(node.type === 'NonTerminal' ? [(node as { name?: string }).name ?? ''] : []),
    ...(node.definition ?? []).flatMap(nonTerminalsOf),
  ];
}

/** Whether the terminal's token pattern matches exactly `text`. */
const matchesWhole = (terminal: ISerializedGast, text: string): boolean => {
  const pattern = patternOf(terminal);
  return pattern !== undefined && new RegExp(`^(?:${pattern})$`).test(text);
};

let regenerated = '';
beforeAll(async () => {
  regenerated = await renderDiagramsPage();
});

describe('the syntax diagrams page', () => {
  it('is committed exactly as `npm run diagrams` generates it from the parser', () => {
    const upToDate = committedPage() === regenerated;
    expect(upToDate, 'grammar/diagrams.html is out of date: run `npm run diagrams`').toBe(true);
  });

  it('embeds every rule of the parser by name', () => {
    const names = serializedGrammar().map((rule) => (rule as { name?: string }).name);
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) {
      expect(regenerated).toMatch(new RegExp(`\\bname['"]?: ['"]${name}['"]`));
    }
  });

  it('loads its renderer from files of this checkout, not from the network', () => {
    const resources = resourcesOf(regenerated);
    expect(resources).toHaveLength(5);
    expect(resources.filter((ref) => /^[a-z][a-z0-9+.-]*:|^\/\//i.test(ref))).toEqual([]);
    const missing = resources.filter((ref) => !existsSync(new URL(ref, diagramsPageUrl)));
    expect(missing).toEqual([]);
  });
});

describe('the diagrams drawn by the page', () => {
  /** Runs the page's own renderer scripts outside a browser and draws the grammar. */
  function drawDiagrams(): string {
    const scripts = resourcesOf(regenerated).filter(
      (ref) => ref.endsWith('railroad-diagrams.js') || ref.endsWith('diagrams_builder.js'),
    );
    expect(scripts).toHaveLength(2);
    const browserGlobals = vm.createContext({});
    for (const script of scripts) {
      vm.runInContext(readFileSync(new URL(script, diagramsPageUrl), 'utf8'), browserGlobals);
    }
    const builder = browserGlobals.diagrams_builder as {
      buildSyntaxDiagramsText(grammar: ISerializedGast[]): string;
    };
    return builder.buildSyntaxDiagramsText(serializedGrammar());
  }

  it('have one diagram per parser rule, in the parser’s order', () => {
    const headers = [...drawDiagrams().matchAll(/<h2 class="diagramHeader">([^<]*)<\/h2>/g)].map(
      (match) => match[1],
    );
    expect(headers).toEqual(serializedGrammar().map((rule) => (rule as { name?: string }).name));
  });

  it.each(['import', 'const', 'block', 'network', 'train'])(
    'start with the entry rule, which leads to a definition that begins with `%s`',
    (keyword) => {
      const [entry, ...rules] = serializedGrammar();
      expect(entry).toBeDefined();
      const topLevel = new Set(nonTerminalsOf(entry as ISerializedGast));
      const definitions = rules.filter((rule) =>
        topLevel.has((rule as { name?: string }).name ?? ''),
      );
      const firstTokens = definitions.map((rule) => terminalsOf([rule])[0]);
      expect(firstTokens.filter((token) => token && matchesWhole(token, keyword))).toHaveLength(1);
    },
  );

  it.each(['import', 'from', 'const', 'block', 'network', 'train', 'noise', 'phase', 'let'])(
    'reach the keyword `%s` through one of their tokens',
    (keyword) => {
      const terminals = terminalsOf(serializedGrammar());
      const keywordTokens = terminals.filter(
        (terminal) =>
          matchesWhole(terminal, keyword) && !matchesWhole(terminal, 'zz_not_a_keyword'),
      );
      expect(keywordTokens.length).toBeGreaterThan(0);
    },
  );
});
