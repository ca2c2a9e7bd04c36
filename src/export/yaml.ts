/**
 * A small YAML emitter for plain data (objects, arrays, strings, finite numbers, booleans, null), block style.
 * The pure layer may not import the `yaml` package; the documents we print are simple enough to write directly.
 * Strings are plain when unambiguous ([A-Za-z_][A-Za-z0-9_./-]*, not a YAML 1.1/1.2 keyword), otherwise
 * double-quoted with JSON escapes, which YAML reads the same way. `undefined` properties are left out.
 * @module
 */

const KEYWORDS = new Set(['true', 'false', 'null', 'yes', 'no', 'on', 'off', 'y', 'n', '~']);
const PLAIN = /^[A-Za-z_][A-Za-z0-9_./-]*$/;

function scalar(value: unknown): string | undefined {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return String(value);
    return Number.isNaN(value) ? '.nan' : value > 0 ? '.inf' : '-.inf';
  }
  if (typeof value === 'string') {
    return PLAIN.test(value) && !KEYWORDS.has(value.toLowerCase()) ? value : JSON.stringify(value);
  }
  if (Array.isArray(value) && value.length === 0) return '[]';
  if (typeof value === 'object' && value !== null && Object.keys(definedEntries(value)).length === 0) return '{}';
  return undefined;
}

function definedEntries(value: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = v;
  return out;
}

function lines(value: unknown, indent: string): string[] {
  if (Array.isArray(value)) {
    return value.flatMap((item) => {
      const s = scalar(item);
      if (s !== undefined) return [`${indent}- ${s}`];
      const [first, ...rest] = lines(item, `${indent}  `);
      return [`${indent}- ${first!.slice(indent.length + 2)}`, ...rest];
    });
  }
  return Object.entries(definedEntries(value as object)).flatMap(([key, v]) => {
    const k = scalar(key)!;
    const s = scalar(v);
    return s !== undefined ? [`${indent}${k}: ${s}`] : [`${indent}${k}:`, ...lines(v, `${indent}  `)];
  });
}

/** one YAML document for `value`, newline-terminated; `comments` become leading "# " lines */
export function toYaml(value: unknown, comments: readonly string[] = []): string {
  const head = comments.map((c) => `# ${c}\n`).join('');
  const s = scalar(value);
  return `${head}${s !== undefined ? s : lines(value, '').join('\n')}\n`;
}

/** several documents separated by "---" */
export function toYamlStream(documents: readonly unknown[], comments: readonly string[] = []): string {
  const head = comments.map((c) => `# ${c}\n`).join('');
  return head + documents.map((d) => `---\n${toYaml(d)}`).join('');
}
