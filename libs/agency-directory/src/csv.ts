/** RFC 4180 CSV as spreadsheets write it: quoted fields may hold commas, quotes ("") and line breaks. */

export interface CsvRecord {
  /** 1-based line where the record starts. */
  readonly line: number;
  readonly fields: readonly string[];
}

export interface CsvParse {
  readonly records: readonly CsvRecord[];
  readonly problems: readonly { line: number; reason: string }[];
}

const BOM = '\uFEFF';

export function parseCsv(text: string): CsvParse {
  const input = text.startsWith(BOM) ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  const problems: { line: number; reason: string }[] = [];
  let line = 1;
  let i = 0;
  while (i < input.length) {
    const start = line;
    const fields: string[] = [];
    let field = '';
    let bad: string | undefined;
    for (;;) {
      if (input[i] === '"') {
        // Quoted field: up to the closing quote, "" being a quote.
        i += 1;
        let closed = false;
        while (i < input.length) {
          const c = input[i];
          if (c === '"') {
            if (input[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i += 1;
            closed = true;
            break;
          }
          if (c === '\n') line += 1;
          field += c;
          i += 1;
        }
        if (!closed) bad ??= 'a quoted field is not closed';
        while (i < input.length && input[i] !== ',' && input[i] !== '\n' && input[i] !== '\r') {
          bad ??= 'text after a closing quote';
          i += 1;
        }
      } else {
        while (i < input.length && input[i] !== ',' && input[i] !== '\n' && input[i] !== '\r') {
          if (input[i] === '"') bad ??= 'a quote inside an unquoted field (quote the whole field and double the quote)';
          field += input[i];
          i += 1;
        }
      }
      fields.push(field);
      field = '';
      if (input[i] === ',') {
        i += 1;
        continue;
      }
      if (input[i] === '\r') i += 1;
      if (input[i] === '\n') i += 1;
      line += 1;
      break;
    }
    const blank = fields.length === 1 && fields[0].trim() === '';
    if (bad) problems.push({ line: start, reason: bad });
    else if (!blank) records.push({ line: start, fields });
  }
  return { records, problems };
}

function formatField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function formatCsv(rows: readonly (readonly string[])[], options: { bom?: boolean } = {}): string {
  const body = rows.map((row) => row.map(formatField).join(',')).join('\r\n');
  return `${options.bom ? BOM : ''}${body}\r\n`;
}
