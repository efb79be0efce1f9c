export { type ColumnSpec, type Columns, canCompile, compileFilter } from './compile-filter.js';
export { ODataError } from './errors.js';
export type {
  AndNode,
  CompareNode,
  ComparisonOperator,
  FilterNode,
  InNode,
  IsOfNode,
  LambdaNode,
  Literal,
  NotNode,
  OrNode,
  PropertyRef,
  StringFunctionName,
  StringFunctionNode,
} from './filter-ast.js';
export type { FieldSpec, FieldType, FilterOperation, ListSpec } from './list-spec.js';
export { matchFilter } from './match-filter.js';
export {
  applySelect,
  type CollectionInput,
  type CollectionResponse,
  collectionResponse,
  withSkipToken,
} from './paging.js';
export type { ExpandItem } from './parse-expand.js';
export { maxFilterDepth, maxFilterLength, parseFilter } from './parse-filter.js';
export { equalityTerm, pushDownFilter } from './push-down-filter.js';
export { type OrderBy, parseQueryOptions, type QueryOptions } from './query-options.js';
export { decodeSkipToken, encodeSkipToken } from './skip-token.js';
export { validateFilter } from './validate-filter.js';
