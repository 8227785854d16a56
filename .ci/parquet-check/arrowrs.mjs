// The arrow-rs half of the independent reader check (see check.mjs).
//
// Reads FILE.parquet with Apache Arrow's Rust implementation (arrow-rs's
// parquet crate, compiled to WebAssembly by the npm package parquet-wasm),
// which hands the table over as Arrow IPC to the npm package apache-arrow,
// and compares it with FILE.csv, parsed here by a small CSV reader of its
// own: neither file goes through DuckDB or the Go code that wrote them.
//
// Checks, with the same rules as the DuckDB half of check.mjs:
//   - the column names, in order, equal the CSV header;
//   - each column has the Arrow type the writer intends: Float64, Int64,
//     Utf8 (or LargeUtf8), or Timestamp with a UTC time zone (any unit:
//     instants are compared exactly in the unit the file declares);
//   - the row counts are equal;
//   - every value is equal, on typed values:
//       Float64: bit-equal, including the sign of zero (-0 is not 0), inf
//         and -inf; a NULL only matches an empty CSV field; NaN matches NaN;
//       Int64: equal as BigInt; NULL only matches an empty field;
//       Timestamp: the same instant, exactly: the CSV's RFC 3339 time in
//         nanoseconds equals the stored integer times its unit, so a CSV
//         fraction finer than the unit is a difference; NULL only matches
//         an empty field;
//       Utf8: equal strings, a NULL counting as the empty string (an empty
//         CSV field cannot tell them apart).
//
// The CSV reader takes RFC 4180 as Go's encoding/csv writes it: fields
// separated by commas, records by \n (or \r\n), a field in double quotes
// when it holds a comma, a quote (doubled), a line break or leading space,
// and a record of one empty field written as "". Blank lines are skipped,
// as DuckDB and pandas skip them. The file must be valid UTF-8.
//
// check.mjs imports checkArrowRs. Run on its own, this file checks with
// arrow-rs alone, with the same output and exit codes as check.mjs:
//   node arrowrs.mjs FILE.parquet FILE.csv

import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';

const MAX_EXAMPLES = 5;

// The version of an installed npm package, from its package.json (which
// parquet-wasm's "exports" do not let import() reach).
function packageVersion(name) {
  try {
    const url = new URL(`./node_modules/${name}/package.json`, import.meta.url);
    return JSON.parse(readFileSync(url, 'utf8')).version;
  } catch {
    return '?';
  }
}

export const READER = `arrow-rs via parquet-wasm ${packageVersion('parquet-wasm')}`;

// A failed check: code 1 for a difference, 2 for a file that cannot be read.
export class CheckFailure extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

// ---- CSV ----

// parseCSV returns the records of text (arrays of strings), header first.
function parseCSV(text, path) {
  const records = [];
  const n = text.length;
  let i = 0;
  const lineAt = (pos) => {
    let line = 1;
    for (let k = text.indexOf('\n'); k !== -1 && k < pos; k = text.indexOf('\n', k + 1)) line++;
    return line;
  };
  const bad = (pos, what) => {
    throw new CheckFailure(2, `reading ${path}: line ${lineAt(pos)}: ${what}`);
  };
  while (i < n) {
    const start = i;
    // A blank line.
    if (text[i] === '\n' || (text[i] === '\r' && text[i + 1] === '\n')) {
      i += text[i] === '\r' ? 2 : 1;
      continue;
    }
    const rec = [];
    for (;;) {
      if (text[i] === '"') {
        const open = i;
        let s = '';
        i++;
        for (;;) {
          const q = text.indexOf('"', i);
          if (q === -1) bad(open, 'quoted field not closed');
          s += text.slice(i, q);
          if (text[q + 1] === '"') {
            s += '"';
            i = q + 2;
          } else {
            i = q + 1;
            break;
          }
        }
        if (i < n && text[i] !== ',' && text[i] !== '\n' && !(text[i] === '\r' && text[i + 1] === '\n')) {
          bad(i, `character ${JSON.stringify(text[i])} after a closing quote`);
        }
        rec.push(s);
      } else {
        let j = i;
        while (j < n && text[j] !== ',' && text[j] !== '\n') j++;
        let s = text.slice(i, j);
        if (text[j] === '\n' && s.endsWith('\r')) s = s.slice(0, -1);
        if (s.includes('"')) bad(i, `quote inside an unquoted field ${JSON.stringify(s)}`);
        rec.push(s);
        i = j;
      }
      if (i >= n) break;
      if (text[i] === ',') {
        i++;
        continue;
      }
      i += text[i] === '\r' ? 2 : 1; // end of record
      break;
    }
    rec.start = start;
    records.push(rec);
  }
  if (records.length === 0) throw new CheckFailure(2, `reading ${path}: no header`);
  const width = records[0].length;
  for (const rec of records) {
    if (rec.length !== width) bad(rec.start, `${rec.length} fields, the header has ${width}`);
  }
  return records;
}

const FLOAT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const INT = /^[+-]?\d+$/;
const TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}(?::?\d{2})?)$/i;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

// parseFloat64 reads a CSV float field: empty is NULL. The writer's fields
// have at most 17 significant digits, which Number() converts exactly
// (correctly rounded, as ECMAScript requires up to 20 digits).
function parseFloat64(s) {
  if (s === '') return null;
  if (FLOAT.test(s)) return Number(s);
  const m = /^([+-]?)(inf|infinity|nan)$/i.exec(s);
  if (m === null) return undefined;
  if (m[2].toLowerCase() === 'nan') return NaN;
  return m[1] === '-' ? -Infinity : Infinity;
}

function parseInt64(s) {
  if (s === '') return null;
  if (!INT.test(s)) return undefined;
  const v = BigInt(s);
  return v < INT64_MIN || v > INT64_MAX ? undefined : v;
}

// Days from 1970-01-01 to the given proleptic Gregorian date.
function daysFromCivil(y, m, d) {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

// parseTimeNanos reads an RFC 3339 CSV time field as nanoseconds since the
// Unix epoch (a BigInt): empty is NULL.
function parseTimeNanos(s) {
  if (s === '') return null;
  const m = TIME.exec(s);
  if (m === null) return undefined;
  const [y, mo, d, h, mi, sec] = m.slice(1, 7).map(Number);
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const mdays = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1];
  if (mo < 1 || mo > 12 || d < 1 || d > mdays || h > 23 || mi > 59 || sec > 59) return undefined;
  let offsetMin = 0;
  if (m[8].toUpperCase() !== 'Z') {
    const z = m[8].replace(':', '');
    const oh = Number(z.slice(1, 3)), om = z.length > 3 ? Number(z.slice(3, 5)) : 0;
    if (oh > 23 || om > 59) return undefined;
    offsetMin = (z[0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const secs = BigInt(daysFromCivil(y, mo, d)) * 86400n + BigInt(h * 3600 + mi * 60 + sec - offsetMin * 60);
  return secs * 1_000_000_000n + BigInt((m[7] ?? '').padEnd(9, '0'));
}

// ---- Arrow ----

const UNIT_NANOS = [1_000_000_000n, 1_000_000n, 1_000n, 1n]; // by TimeUnit
const UNIT_NAME = ['s', 'ms', 'us', 'ns'];
const UTC_ZONES = new Set(['UTC', '+00:00', 'Etc/UTC', 'Z']);

// kindOf returns how a column of Arrow type t is compared, or null when t is
// not a type the writer emits.
function kindOf(t, arrow) {
  const { Type, Precision } = arrow;
  switch (t.typeId) {
    case Type.Float:
      return t.precision === Precision.DOUBLE ? 'float64' : null;
    case Type.Int:
      return t.bitWidth === 64 && t.isSigned ? 'int64' : null;
    case Type.Utf8:
    case Type.LargeUtf8:
      return 'utf8';
    case Type.Timestamp:
      return UTC_ZONES.has(t.timezone ?? '') && UNIT_NANOS[t.unit] !== undefined ? 'timestamp' : null;
  }
  return null;
}

// columnValues returns the values of an Arrow column as JavaScript values,
// read from its buffers: numbers (float64), BigInts (int64; timestamps in
// nanoseconds), strings; null for NULL.
function columnValues(vector, kind) {
  const out = new Array(vector.length);
  const unit = kind === 'timestamp' ? UNIT_NANOS[vector.type.unit] : 1n;
  let r = 0;
  for (const d of vector.data) {
    for (let i = 0; i < d.length; i++, r++) {
      if (!d.getValid(i)) {
        out[r] = null;
      } else if (kind === 'timestamp') {
        out[r] = BigInt(d.values[i]) * unit;
      } else if (kind === 'utf8') {
        out[r] = utf8.decode(d.values.subarray(Number(d.valueOffsets[i]), Number(d.valueOffsets[i + 1])));
      } else {
        out[r] = d.values[i];
      }
    }
  }
  if (r !== vector.length) throw new Error(`read ${r} values of a column of ${vector.length}`);
  return out;
}

const PARSE = { float64: parseFloat64, int64: parseInt64, timestamp: parseTimeNanos, utf8: (s) => s };

const EQUAL = {
  float64: (p, c) => (p === null ? c === null : c !== null && Object.is(p, c)),
  int64: (p, c) => p === c,
  timestamp: (p, c) => p === c,
  utf8: (p, c) => (p ?? '') === c,
};

function nanosToRFC3339(ns) {
  const sec = ns / 1_000_000_000n - (ns % 1_000_000_000n < 0n ? 1n : 0n);
  const frac = ns - sec * 1_000_000_000n;
  const iso = new Date(Number(sec) * 1000).toISOString().replace('.000Z', '');
  return `${iso}.${frac.toString().padStart(9, '0')}Z`;
}

function show(kind, v, unitName) {
  if (v === null) return 'NULL';
  switch (kind) {
    case 'float64':
      return Object.is(v, -0) ? '-0' : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : String(v);
    case 'int64':
      return v.toString();
    case 'timestamp':
      return `${nanosToRFC3339(v)} (${v} ns${unitName ? `, file unit ${unitName}` : ''})`;
    default:
      return JSON.stringify(v);
  }
}

// checkArrowRs compares the Parquet file, read by arrow-rs, with the CSV
// file. It returns {rows, columns} when they agree and throws a
// CheckFailure otherwise.
export async function checkArrowRs(parquetPath, csvPath) {
  let arrow, readParquet;
  try {
    arrow = await import('apache-arrow');
    ({ readParquet } = await import('parquet-wasm'));
  } catch (e) {
    throw new CheckFailure(2, `arrow-rs reader not installed (cd .ci/parquet-check && npm ci): ${e.message}`);
  }

  let table;
  try {
    const wasmTable = readParquet(new Uint8Array(readFileSync(parquetPath)));
    table = arrow.tableFromIPC(wasmTable.intoIPCStream());
  } catch (e) {
    throw new CheckFailure(2, `arrow-rs (parquet-wasm) cannot read ${parquetPath}: ${e?.message ?? e}`);
  }

  let text;
  try {
    text = utf8.decode(readFileSync(csvPath));
  } catch (e) {
    throw new CheckFailure(2, `reading ${csvPath}: ${e.message}`);
  }
  const [header, ...records] = parseCSV(text, csvPath);

  const fields = table.schema.fields;
  const names = fields.map((f) => f.name);
  if (JSON.stringify(names) !== JSON.stringify(header)) {
    throw new CheckFailure(1, `columns differ:\n  parquet: ${JSON.stringify(names)}\n  csv:     ${JSON.stringify(header)}`);
  }
  const kinds = fields.map((f) => kindOf(f.type, arrow));
  const wrong = fields.filter((f, j) => kinds[j] === null);
  if (wrong.length > 0) {
    throw new CheckFailure(1,
      'columns of an Arrow type the writer does not emit (it writes Float64, Int64, Utf8, Timestamp with time zone UTC):\n' +
      wrong.map((f) => `  column ${JSON.stringify(f.name)}: ${f.type}${f.type.timezone === null ? ' (no time zone)' : ''}`).join('\n'));
  }

  if (table.numRows !== records.length) {
    throw new CheckFailure(1, `row counts differ: parquet has ${table.numRows}, csv has ${records.length}`);
  }

  const lines = [];
  for (let j = 0; j < fields.length; j++) {
    const kind = kinds[j], type = String(fields[j].type);
    const unitName = kind === 'timestamp' ? UNIT_NAME[fields[j].type.unit] : '';
    const pvals = columnValues(table.getChildAt(j), kind);
    let n = 0;
    const examples = [];
    for (let r = 0; r < records.length; r++) {
      const field = records[r][j];
      const c = PARSE[kind](field);
      if (c === undefined) {
        throw new CheckFailure(2,
          `reading ${csvPath}: row index ${r}, column ${JSON.stringify(names[j])}: ${JSON.stringify(field)} is not a ${type} value`);
      }
      const p = pvals[r];
      if (!EQUAL[kind](p, c)) {
        if (n++ < MAX_EXAMPLES) {
          examples.push(`    row index ${r}: parquet=${show(kind, p, unitName)} csv=${show(kind, c)} (field ${JSON.stringify(field)})`);
        }
      }
    }
    if (n > 0) {
      lines.push(`  column ${JSON.stringify(names[j])} (${type}): ${n} of ${records.length} values differ`, ...examples);
    }
  }
  if (lines.length > 0) {
    throw new CheckFailure(1, `${basename(parquetPath)} and ${basename(csvPath)} differ:\n${lines.join('\n')}`);
  }
  return { rows: table.numRows, columns: fields.length };
}

// Run on its own: the arrow-rs check alone.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  if (args.length !== 2) {
    console.error('usage: node arrowrs.mjs FILE.parquet FILE.csv');
    process.exit(2);
  }
  const [parquetPath, csvPath] = args;
  try {
    const { rows, columns } = await checkArrowRs(parquetPath, csvPath);
    console.log(`parquet-check: OK: ${basename(parquetPath)}: ${rows} rows x ${columns} columns equal to ${basename(csvPath)} (${READER})`);
  } catch (e) {
    if (!(e instanceof CheckFailure)) {
      console.error(`parquet-check: FAIL (${READER}): internal error: ${e?.stack ?? e}`);
      process.exit(2);
    }
    console.error(`parquet-check: FAIL (${READER}): ${e.message}`);
    process.exit(e.code);
  }
}
