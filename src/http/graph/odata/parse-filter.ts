import { ODataError } from './errors.js';
import type { ComparisonOperator, FilterNode, Literal, PropertyRef } from './filter-ast.js';
import { comparison, isofTypeName, keyword, literalOf, type Operand, unexpected } from './filter-operands.js';
import { type Token, tokenizeFilter } from './tokenize-filter.js';

/** Longest `$filter` accepted, in characters. */
export const maxFilterLength = 4096;
/** Deepest nesting of parentheses, `not` and lambdas accepted. */
export const maxFilterDepth = 32;

const comparisonOperators: ReadonlySet<string> = new Set(['eq', 'ne', 'lt', 'le', 'gt', 'ge']);

/**
 * Parses an OData `$filter` expression into a `FilterNode`. Precedence, tightest first: `not`, comparison
 * (`eq ne lt le gt ge in`), `and`, `or`. Keywords are case-insensitive. Any problem, including input over
 * 4096 characters or nested deeper than 32 levels, throws ODataError naming the position and the token.
 */
export function parseFilter(text: string): FilterNode {
  if (text.length > maxFilterLength) {
    throw new ODataError(
      `Invalid $filter: the expression is ${text.length} characters long; the limit is ${maxFilterLength}`,
    );
  }
  if (text.trim() === '') throw new ODataError('Invalid $filter: the expression is empty');
  return new FilterParser(tokenizeFilter(text)).parse();
}

class FilterParser {
  private readonly tokens: readonly Token[];
  private index = 0;
  private depth = 0;
  private readonly variables: string[] = [];

  constructor(tokens: readonly Token[]) {
    this.tokens = tokens;
  }

  parse(): FilterNode {
    const node = this.parseOr();
    const next = this.peek();
    if (next.kind !== 'end') throw unexpected(next, 'and, or or the end of the expression');
    return node;
  }

  private parseOr(): FilterNode {
    let left = this.parseAnd();
    while (keyword(this.peek()) === 'or') {
      this.next();
      left = { kind: 'or', left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): FilterNode {
    let left = this.parseComparison();
    while (keyword(this.peek()) === 'and') {
      this.next();
      left = { kind: 'and', left, right: this.parseComparison() };
    }
    return left;
  }

  private parseComparison(): FilterNode {
    const left = this.parseOperand();
    const operator = this.peek();
    const word = keyword(operator);
    if (word !== undefined && comparisonOperators.has(word)) {
      this.next();
      return comparison(left, word as ComparisonOperator, this.parseOperand(), operator);
    }
    if (word === 'in') {
      this.next();
      return this.parseInList(left, operator);
    }
    if (left.kind === 'condition') return left.node;
    throw unexpected(operator, 'eq, ne, lt, le, gt, ge or in');
  }

  private parseInList(left: Operand, inToken: Token): FilterNode {
    if (left.kind !== 'property') {
      throw new ODataError(
        `Invalid $filter: 'in' at position ${inToken.position} must follow a property, ` +
          "e.g. roleDefinitionId in ('a','b')",
      );
    }
    this.expectPunctuation('(', "'(' to open the list of values");
    if (this.peekPunctuation(')')) {
      throw new ODataError(
        `Invalid $filter: the list after 'in' at position ${inToken.position} is empty; give at least one value`,
      );
    }
    const values: Literal[] = [];
    do {
      const token = this.next();
      const literal = literalOf(token);
      if (literal === undefined) throw unexpected(token, 'a literal value in the list');
      values.push(literal);
    } while (this.acceptPunctuation(','));
    this.expectPunctuation(')', "',' or ')' to close the list");
    return { kind: 'in', property: left.ref, values };
  }

  private parseOperand(): Operand {
    const token = this.next();
    const word = keyword(token);
    if (word === 'not') {
      this.enter(token);
      const operand = this.parseOperand();
      this.leave();
      if (operand.kind !== 'condition') {
        throw new ODataError(
          `Invalid $filter: 'not' at position ${token.position} must be followed by a condition in ` +
            "parentheses or a function, e.g. not (status eq 'Denied') or not startswith(displayName,'Test')",
        );
      }
      return { kind: 'condition', node: { kind: 'not', operand: operand.node }, token };
    }
    if (token.kind === 'punctuation' && token.text === '(') {
      this.enter(token);
      const node = this.parseOr();
      this.expectPunctuation(')', "and, or or ')'");
      this.leave();
      return { kind: 'condition', node, token };
    }
    const literal = literalOf(token);
    if (literal !== undefined) return { kind: 'literal', literal, token };
    if (token.kind === 'identifier') {
      return this.peekPunctuation('(') ? this.parseFunction(token) : this.parsePath(token);
    }
    throw unexpected(token, "a property, a literal, 'not' or '('");
  }

  private parsePath(first: Token): Operand {
    const segments = [first.text];
    while (this.acceptPunctuation('/')) {
      const segment = this.next();
      if (segment.kind !== 'identifier') throw unexpected(segment, "a property name after '/'");
      const word = keyword(segment);
      if ((word === 'any' || word === 'all') && this.peekPunctuation('(')) {
        return this.parseLambda(word, segments, first, segment);
      }
      segments.push(segment.text);
    }
    return { kind: 'property', ref: this.reference(segments), token: first };
  }

  private parseLambda(op: 'any' | 'all', segments: string[], first: Token, opToken: Token): Operand {
    const collection = this.reference(segments);
    const example = `${segments.join('/')}/${op}(t: t/id eq 'x')`;
    this.next();
    if (this.acceptPunctuation(')')) {
      if (op === 'all') {
        throw new ODataError(
          `Invalid $filter: all() at position ${opToken.position} needs a condition, e.g. ${example}`,
        );
      }
      return { kind: 'condition', node: { kind: 'lambda', op, collection }, token: first };
    }
    const variable = this.next();
    if (variable.kind !== 'identifier') throw unexpected(variable, `a range variable, e.g. ${example}`);
    if (this.variables.includes(variable.text)) {
      throw new ODataError(
        `Invalid $filter: the range variable '${variable.text}' at position ${variable.position} ` +
          'is already in use by an enclosing any/all; choose another name',
      );
    }
    this.expectPunctuation(':', `':' after the range variable, e.g. ${example}`);
    this.enter(opToken);
    this.variables.push(variable.text);
    const predicate = this.parseOr();
    this.variables.pop();
    this.expectPunctuation(')', `and, or or ')' to close ${op}(`);
    this.leave();
    const node: FilterNode = { kind: 'lambda', op, collection, variable: variable.text, predicate };
    return { kind: 'condition', node, token: first };
  }

  private parseFunction(nameToken: Token): Operand {
    const name = nameToken.text.toLowerCase();
    const at = nameToken.position;
    if (name !== 'startswith' && name !== 'endswith' && name !== 'contains' && name !== 'isof') {
      throw new ODataError(
        `Invalid $filter: unknown function '${nameToken.text}' at position ${at}; ` +
          'the supported functions are startswith, endswith, contains and isof',
      );
    }
    this.next();
    const args: Operand[] = [];
    if (!this.peekPunctuation(')')) {
      do {
        args.push(this.parseArgument());
      } while (this.acceptPunctuation(','));
    }
    this.expectPunctuation(')', `',' or ')' in ${name}(…)`);
    const [first, second] = args;
    if (name === 'isof') {
      const typeArg = args.length === 1 ? first : second;
      const target = args.length === 2 && first?.kind === 'property' ? first.ref : undefined;
      if (args.length < 1 || args.length > 2 || (args.length === 2 && target === undefined)) {
        throw new ODataError(
          `Invalid $filter: isof at position ${at} takes a type name and optionally a property first, ` +
            "e.g. isof(principal,'microsoft.graph.user')",
        );
      }
      const typeName = isofTypeName(typeArg, at);
      const node: FilterNode = target
        ? { kind: 'function', name, property: target, typeName }
        : { kind: 'function', name, typeName };
      return { kind: 'condition', node, token: nameToken };
    }
    if (
      args.length !== 2 ||
      first?.kind !== 'property' ||
      second?.kind !== 'literal' ||
      second.literal.type !== 'string'
    ) {
      throw new ODataError(
        `Invalid $filter: ${name} at position ${at} takes a property and a quoted string, ` +
          `e.g. ${name}(displayName,'Admin')`,
      );
    }
    const node: FilterNode = { kind: 'function', name, property: first.ref, value: second.literal.value };
    return { kind: 'condition', node, token: nameToken };
  }

  private parseArgument(): Operand {
    const token = this.next();
    const literal = literalOf(token);
    if (literal !== undefined) return { kind: 'literal', literal, token };
    if (token.kind === 'identifier' && !this.peekPunctuation('(')) {
      const operand = this.parsePath(token);
      if (operand.kind === 'property') return operand;
    }
    throw unexpected(token, 'a property or a literal as the function argument');
  }

  private reference(segments: readonly string[]): PropertyRef {
    const [head, ...rest] = segments;
    if (head !== undefined && this.variables.includes(head)) return { variable: head, path: rest.join('/') };
    return { path: segments.join('/') };
  }

  private enter(token: Token): void {
    this.depth += 1;
    if (this.depth > maxFilterDepth) {
      throw new ODataError(
        `Invalid $filter: the expression nests deeper than ${maxFilterDepth} levels at position ` +
          `${token.position}; remove parentheses or split the query`,
      );
    }
  }

  private leave(): void {
    this.depth -= 1;
  }

  private peek(): Token {
    return this.tokens[this.index]!;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.index += 1;
    return token;
  }

  private peekPunctuation(text: string): boolean {
    const token = this.peek();
    return token.kind === 'punctuation' && token.text === text;
  }

  private acceptPunctuation(text: string): boolean {
    if (!this.peekPunctuation(text)) return false;
    this.next();
    return true;
  }

  private expectPunctuation(text: string, expected: string): void {
    if (!this.acceptPunctuation(text)) throw unexpected(this.peek(), expected);
  }
}
