#!/usr/bin/env node
// Independent reader check for cascade's output package.
//
// Usage: node check.mjs FILE.parquet FILE.csv
//
// Reads the Parquet file with two readers that share no code with each
// other or with the Go code that wrote it, and checks, for each reader on
// its own, that the Parquet file and the CSV file hold the same table: the
// same column names in the same order, the same number of rows, and every
// value equal. Both readers run on every invocation:
//
// 1. DuckDB (npm @duckdb/node-api) loads both files. The CSV is parsed with
//    the column types DuckDB reads from the Parquet file (DOUBLE, BIGINT,
//    VARCHAR, TIMESTAMP WITH TIME ZONE, ...), so the comparison is value by
//    value on typed values:
//      - floats must be exactly equal, including the sign of zero (the CSV
//        holds the shortest round-trip decimal, so parsing it gives the
//        same double); a Parquet NULL must be an empty CSV field; inf/-inf
//        must match;
//      - strings must be equal, a NULL counting as the empty string (an
//        empty CSV field cannot tell them apart);
//      - other types (integers, timestamps) must be equal, NULL only
//        matching NULL.
//
// 2. Apache Arrow's Rust implementation (arrow-rs's parquet crate compiled
//    to WebAssembly: npm parquet-wasm, read into JavaScript by npm
//    apache-arrow) reads the Parquet file, and a CSV reader of its own (no
//    DuckDB) reads the CSV. Same rules, on typed values (float64 bits,
//    int64 as BigInt, timestamps as exact instants in the file's unit,
//    strings), and the Arrow type of each column must be one the writer
//    intends: Float64, Int64, Utf8/LargeUtf8, Timestamp in UTC. See
//    arrowrs.mjs, which also runs on its own (node arrowrs.mjs ...).
//
// Prints one summary line naming both readers and exits 0 when both find
// the files equal; otherwise prints each reader's failure and exits 1 on
// any mismatch (with the first differing rows), 2 on usage or read errors
// (2 wins when one reader cannot read and the other finds a mismatch).

import { basename } from 'node:path';
import { CheckFailure, READER as ARROW_RS, checkArrowRs } from './arrowrs.mjs';

const MAX_EXAMPLES = 5;

const args = process.argv.slice(2);
if (args.length !== 2) {
  console.error('usage: node check.mjs FILE.parquet FILE.csv');
  process.exit(2);
}
const [parquetPath, csvPath] = args;

const lit = (s) => `'${String(s).replaceAll("'", "''")}'`;
const ident = (s) => `"${String(s).replaceAll('"', '""')}"`;

let duckdbName = 'DuckDB';

// checkDuckDB compares the two files as read by DuckDB. It returns
// {rows, columns} when they agree and throws a CheckFailure otherwise.
async function checkDuckDB() {
  let DuckDBInstance;
  try {
    ({ DuckDBInstance } = await import('@duckdb/node-api'));
  } catch (e) {
    throw new CheckFailure(2, `DuckDB reader not installed (cd .ci/parquet-check && npm ci): ${e.message}`);
  }
  const instance = await DuckDBInstance.create(':memory:');
  const con = await instance.connect();

  async function rows(sql, what) {
    try {
      const result = await con.runAndReadAll(sql);
      return result.getRowObjectsJson();
    } catch (e) {
      throw new CheckFailure(2, `${what}: ${e.message}`);
    }
  }

  const [{ v }] = await rows('SELECT version() AS v', 'asking DuckDB its version');
  duckdbName = `DuckDB ${v}`;

  const pq = `read_parquet(${lit(parquetPath)})`;
  const csvOpts = `delim=',', quote='"', escape='"'`;

  // Column names and types, as each reader sees them.
  const pcols = (await rows(`DESCRIBE SELECT * FROM ${pq}`, `reading ${parquetPath}`))
    .map((r) => ({ name: r.column_name, type: r.column_type }));
  const header = (await rows(
    `DESCRIBE SELECT * FROM read_csv(${lit(csvPath)}, header=true, all_varchar=true, ${csvOpts})`,
    `reading the header of ${csvPath}`,
  )).map((r) => r.column_name);

  const pnames = pcols.map((c) => c.name);
  if (JSON.stringify(pnames) !== JSON.stringify(header)) {
    throw new CheckFailure(1, `columns differ:\n  parquet: ${JSON.stringify(pnames)}\n  csv:     ${JSON.stringify(header)}`);
  }

  // Parse the CSV with the Parquet column types.
  const columnsSpec = '{' + pcols.map((c) => `${lit(c.name)}: ${lit(c.type)}`).join(', ') + '}';
  const csv = `read_csv(${lit(csvPath)}, header=true, auto_detect=false, ${csvOpts}, columns=${columnsSpec})`;

  const [{ n: nParquet }] = await rows(`SELECT count(*)::VARCHAR AS n FROM ${pq}`, `counting rows of ${parquetPath}`);
  const [{ n: nCSV }] = await rows(`SELECT count(*)::VARCHAR AS n FROM ${csv}`, `parsing ${csvPath} with the Parquet column types`);
  if (nParquet !== nCSV) {
    throw new CheckFailure(1, `row counts differ: parquet has ${nParquet}, csv has ${nCSV}`);
  }

  // Equality of column i: p${i} from the Parquet file, c${i} from the CSV.
  // It is never NULL: a NULL against a number must count as a difference
  // (NOT NULL would not be counted by FILTER).
  function equal(i, type) {
    const p = `p${i}`, c = `c${i}`;
    if (type === 'DOUBLE' || type === 'FLOAT') {
      return `((${p} IS NULL AND ${c} IS NULL) OR coalesce(${p} = ${c} AND signbit(${p}) = signbit(${c}), false))`;
    }
    if (type === 'VARCHAR') {
      return `(coalesce(${p}, '') = coalesce(${c}, ''))`;
    }
    return `(${p} IS NOT DISTINCT FROM ${c})`;
  }

  const joined = `(
    SELECT * FROM
      (SELECT file_row_number AS rn, ${pcols.map((c, i) => `${ident(c.name)} AS p${i}`).join(', ')}
         FROM read_parquet(${lit(parquetPath)}, file_row_number=true))
    POSITIONAL JOIN
      (SELECT ${pcols.map((c, i) => `${ident(c.name)} AS c${i}`).join(', ')} FROM ${csv})
  )`;

  const counts = await rows(
    `SELECT ${pcols.map((c, i) => `count(*) FILTER (WHERE NOT ${equal(i, c.type)})::VARCHAR AS bad${i}`).join(', ')} FROM ${joined}`,
    'comparing values',
  );
  const bad = pcols
    .map((c, i) => ({ ...c, i, n: BigInt(counts[0][`bad${i}`]) }))
    .filter((c) => c.n > 0n);

  if (bad.length > 0) {
    const lines = [];
    for (const c of bad) {
      lines.push(`  column ${JSON.stringify(c.name)} (${c.type}): ${c.n} of ${nParquet} values differ`);
      const examples = await rows(
        `SELECT rn::VARCHAR AS row, p${c.i}::VARCHAR AS p, c${c.i}::VARCHAR AS c FROM ${joined}
          WHERE NOT ${equal(c.i, c.type)} ORDER BY rn LIMIT ${MAX_EXAMPLES}`,
        'listing differing values',
      );
      for (const e of examples) {
        lines.push(`    row index ${e.row}: parquet=${e.p === null ? 'NULL' : JSON.stringify(e.p)} csv=${e.c === null ? 'NULL' : JSON.stringify(e.c)}`);
      }
    }
    throw new CheckFailure(1, `${basename(parquetPath)} and ${basename(csvPath)} differ:\n${lines.join('\n')}`);
  }
  return { rows: Number(nParquet), columns: pcols.length };
}

// Run both readers, each on its own, whatever the other found.
const results = [];
for (const [name, check] of [[() => duckdbName, checkDuckDB], [() => ARROW_RS, () => checkArrowRs(parquetPath, csvPath)]]) {
  try {
    results.push({ ...(await check()), name: name() });
  } catch (e) {
    results.push(e instanceof CheckFailure
      ? { name: name(), code: e.code, message: e.message }
      : { name: name(), code: 2, message: `internal error: ${e?.stack ?? e}` });
  }
}

const failed = results.filter((r) => r.code);
if (failed.length > 0) {
  for (const r of failed) console.error(`parquet-check: FAIL (${r.name}): ${r.message}`);
  process.exit(Math.max(...failed.map((r) => r.code)));
}
const [first] = results;
console.log(
  `parquet-check: OK: ${basename(parquetPath)}: ${first.rows} rows x ${first.columns} columns equal to ` +
  `${basename(csvPath)} (${results.map((r) => r.name).join(', ')})`,
);
