import { NetParser } from './grammar/netParser.js';

/**
 * The one `.net` parser instance. `parser.getSerializedGastProductions()` gives the grammar
 * for railroad diagrams; `parseSource` (parse.ts) is the way to parse a file.
 */
export const parser = new NetParser();
