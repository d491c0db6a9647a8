// SLS query language compiler: search statements and `search | select` analytics -> parameterised SQL.
export { compileQuery, findPipe } from './compile-query.js';
export type { CompileOptions, CompiledQuery } from './compile-query.js';
export { QueryError } from './errors.js';
export type { QueryErrorCode } from './errors.js';
export { FLOW_LOG_FIELDS, fieldCatalog } from './fields.js';
export type { FieldCatalog, FieldDef, FieldType } from './fields.js';
export { parseSearch } from './search-parser.js';
export type { SearchNode, SearchValue } from './search-parser.js';
export { DEFAULT_SQL_LIMIT } from './sql-rebuild.js';
export type { ValueType } from './sql-rebuild.js';
export type { Dialect } from './sql-writer.js';
export { formatDouble, formatValue, toStringRow } from './string-row.js';
