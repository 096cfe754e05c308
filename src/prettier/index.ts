import type { Parser, Plugin, Printer, SupportLanguage } from 'prettier';
import { parseNetc } from './parse.js';
import { netcPrinter, type NetcNode } from './printer.js';

/*
 * The Prettier plugin for `.net` files:
 *   prettier --plugin netc/prettier --write model.net
 *   prettier.format(text, { parser: 'netc', plugins: [plugin] })
 */

export const languages: SupportLanguage[] = [
  {
    name: 'netc',
    parsers: ['netc'],
    extensions: ['.net'],
    tmScope: 'source.netc',
    vscodeLanguageIds: ['netc'],
  },
];

const locStart = (node: NetcNode): number => node.span.start;
const locEnd = (node: NetcNode): number => node.span.end;

export const parsers: Record<'netc', Parser<NetcNode>> = {
  netc: { parse: parseNetc, astFormat: 'netc-ast', locStart, locEnd },
};

export const printers: Record<'netc-ast', Printer<NetcNode>> = {
  'netc-ast': netcPrinter,
};

const plugin: Plugin<NetcNode> = { languages, parsers, printers };

export default plugin;
