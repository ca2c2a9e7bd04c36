/**
 * A small Go text/template engine with the Helm/Sprig functions the flowmap chart uses, so tests can render the
 * chart without a `helm` binary. It follows Go's rules where the chart could go wrong: trim markers, truthiness,
 * `<no value>` for missing values, an error for fields of nil, sorted map iteration, Helm's toYaml.
 * Grammar: text, {{ pipeline }}, if/else if/else, with/else, range (with `$k, $v :=`), define, template,
 * variables (`$x := ...`, `$x = ...`), parenthesised pipelines, comments.
 * @module
 */
import { FUNCTIONS, formatValue, truthy } from './template-functions.js';

type Operand =
  | { readonly t: 'field'; readonly base: string; readonly path: readonly string[] }
  | { readonly t: 'lit'; readonly value: unknown }
  | { readonly t: 'ident'; readonly name: string }
  | { readonly t: 'sub'; readonly pipe: Pipeline; readonly path: readonly string[] };
type Command = readonly Operand[];
interface Pipeline {
  readonly decl?: { readonly names: readonly string[]; readonly op: ':=' | '=' };
  readonly cmds: readonly Command[];
}
type Node =
  | { readonly t: 'text'; readonly text: string }
  | { readonly t: 'action'; readonly pipe: Pipeline }
  | { readonly t: 'if' | 'with'; readonly pipe: Pipeline; readonly body: Node[]; readonly alt: Node[] }
  | { readonly t: 'range'; readonly pipe: Pipeline; readonly body: Node[]; readonly alt: Node[] }
  | { readonly t: 'template'; readonly name: string; readonly pipe: Pipeline | undefined };

export class TemplateError extends Error {
  override readonly name = 'TemplateError';
}

const TOKEN =
  /\s*("(?:[^"\\]|\\.)*"|`[^`]*`|:=|[()|=,]|\$[A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*|\.[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*|\.|-?\d+(?:\.\d+)?|[A-Za-z_][A-Za-z0-9_]*)/y;

function tokenize(src: string, where: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  let at = 0;
  while (at < src.length) {
    if (/^\s*$/.test(src.slice(at))) break;
    TOKEN.lastIndex = at;
    const m = TOKEN.exec(src);
    if (!m) throw new TemplateError(`Cannot parse "${src.trim()}" in ${where}: unexpected "${src.slice(at).trim()}"`);
    out.push(m[1]!);
    at = TOKEN.lastIndex;
  }
  return out;
}

function parseOperand(tokens: string[], where: string): Operand {
  const tok = tokens.shift()!;
  if (tok === '(') {
    const pipe = parsePipeline(tokens, where, ')');
    if (tokens.shift() !== ')') throw new TemplateError(`Cannot parse ${where}: missing ")"`);
    return { t: 'sub', pipe, path: [] };
  }
  if (tok.startsWith('"')) return { t: 'lit', value: JSON.parse(tok) };
  if (tok.startsWith('`')) return { t: 'lit', value: tok.slice(1, -1) };
  if (/^-?\d/.test(tok)) return { t: 'lit', value: Number(tok) };
  if (tok === 'true' || tok === 'false') return { t: 'lit', value: tok === 'true' };
  if (tok === 'nil') return { t: 'lit', value: null };
  if (tok === '.') return { t: 'field', base: '.', path: [] };
  if (tok.startsWith('.')) return { t: 'field', base: '.', path: tok.slice(1).split('.') };
  if (tok.startsWith('$')) {
    const [base, ...path] = tok.split('.');
    return { t: 'field', base: base!, path };
  }
  return { t: 'ident', name: tok };
}

function parsePipeline(tokens: string[], where: string, stop?: string): Pipeline {
  let decl: Pipeline['decl'];
  const assign = tokens.findIndex((t) => t === ':=' || t === '=');
  if (assign > 0 && tokens.slice(0, assign).every((t) => t.startsWith('$') || t === ',')) {
    decl = { names: tokens.slice(0, assign).filter((t) => t !== ','), op: tokens[assign] as ':=' | '=' };
    tokens.splice(0, assign + 1);
  }
  const cmds: Command[] = [];
  let cmd: Operand[] = [];
  while (tokens.length > 0 && tokens[0] !== stop) {
    if (tokens[0] === '|') {
      tokens.shift();
      cmds.push(cmd);
      cmd = [];
      continue;
    }
    cmd.push(parseOperand(tokens, where));
  }
  cmds.push(cmd);
  if (cmds.some((c) => c.length === 0)) throw new TemplateError(`Cannot parse ${where}: empty command in pipeline`);
  return decl ? { decl, cmds } : { cmds };
}

interface Parsed {
  readonly nodes: Node[];
  readonly defines: Map<string, Node[]>;
}

/** parses a template source; `where` names it in errors */
export function parseTemplate(source: string, where: string): Parsed {
  const defines = new Map<string, Node[]>();
  const parts: { text?: string; action?: string }[] = [];
  let rest = source;
  while (rest.length > 0) {
    const open = rest.indexOf('{{');
    if (open < 0) {
      parts.push({ text: rest });
      break;
    }
    let text = rest.slice(0, open);
    let inner = rest.slice(open + 2);
    const trimLeft = /^-\s/.test(inner);
    if (trimLeft) text = text.replace(/\s+$/, '');
    const close = inner.indexOf('}}');
    if (close < 0) throw new TemplateError(`Cannot parse ${where}: unclosed action`);
    let action = inner.slice(0, close);
    inner = inner.slice(close + 2);
    if (trimLeft) action = action.slice(1);
    if (/\s-$/.test(action)) {
      action = action.slice(0, -1);
      inner = inner.replace(/^\s+/, '');
    }
    parts.push({ text }, { action: action.trim() });
    rest = inner;
  }
  let i = 0;
  const block = (closers: readonly string[]): [Node[], string] => {
    const nodes: Node[] = [];
    while (i < parts.length) {
      const part = parts[i++]!;
      if (part.text !== undefined) {
        if (part.text) nodes.push({ t: 'text', text: part.text });
        continue;
      }
      const a = part.action!;
      if (a.startsWith('/*')) continue;
      const word = /^[a-z]+/.exec(a)?.[0] ?? '';
      if (closers.includes(word) && (word === 'end' || word === 'else')) return [nodes, a];
      const tokens = tokenize(
        a.slice(['if', 'with', 'range', 'define', 'template'].includes(word) ? word.length : 0),
        where,
      );
      if (word === 'if' || word === 'with' || word === 'range') nodes.push(control(word, tokens));
      else if (word === 'define') {
        const [body] = block(['end']);
        defines.set(JSON.parse(tokens[0]!), body);
      } else if (word === 'template') {
        const name = JSON.parse(tokens.shift()!);
        nodes.push({ t: 'template', name, pipe: tokens.length ? parsePipeline(tokens, where) : undefined });
      } else nodes.push({ t: 'action', pipe: parsePipeline(tokens, where) });
    }
    if (closers.length) throw new TemplateError(`Cannot parse ${where}: missing {{ end }}`);
    return [nodes, ''];
  };
  const control = (word: 'if' | 'with' | 'range', tokens: string[]): Node => {
    const pipe = parsePipeline(tokens, where);
    const [body, closer] = block(['end', 'else']);
    let alt: Node[] = [];
    if (closer.startsWith('else')) {
      const chained = closer.slice(4).trim();
      if (chained.startsWith('if ')) alt = [control('if', tokenize(chained.slice(2), where))];
      else [alt] = block(['end']);
    }
    return { t: word, pipe, body, alt };
  };
  const [nodes] = block([]);
  return { nodes, defines };
}

type Scope = Map<string, unknown>;

export class TemplateSet {
  private readonly defines = new Map<string, Node[]>();
  private readonly templates = new Map<string, Node[]>();

  add(name: string, source: string): void {
    const parsed = parseTemplate(source, `template "${name}"`);
    for (const [k, v] of parsed.defines) this.defines.set(k, v);
    this.templates.set(name, parsed.nodes);
  }

  render(name: string, data: unknown): string {
    const nodes = this.templates.get(name);
    if (!nodes) throw new TemplateError(`Cannot render "${name}": no such template`);
    return this.run(nodes, data, new Map([['$', data]]));
  }

  include(name: string, data: unknown): string {
    const nodes = this.defines.get(name);
    if (!nodes) throw new TemplateError(`Cannot include "${name}": no such named template`);
    return this.run(nodes, data, new Map([['$', data]]));
  }

  private run(nodes: readonly Node[], dot: unknown, scope: Scope): string {
    let out = '';
    for (const n of nodes) {
      if (n.t === 'text') out += n.text;
      else if (n.t === 'action') {
        const value = this.pipe(n.pipe, dot, scope);
        if (!n.pipe.decl) out += formatValue(value);
      } else if (n.t === 'if')
        out += truthy(this.pipe(n.pipe, dot, scope))
          ? this.run(n.body, dot, new Map(scope))
          : this.run(n.alt, dot, new Map(scope));
      else if (n.t === 'with') {
        const value = this.pipe(n.pipe, dot, scope);
        out += truthy(value) ? this.run(n.body, value, new Map(scope)) : this.run(n.alt, dot, new Map(scope));
      } else if (n.t === 'range') out += this.range(n, dot, scope);
      else if (n.t === 'template') out += this.include(n.name, n.pipe ? this.pipe(n.pipe, dot, scope) : undefined);
    }
    return out;
  }

  private range(n: Extract<Node, { t: 'range' }>, dot: unknown, scope: Scope): string {
    const { decl, cmds } = n.pipe;
    const value = this.pipe({ cmds }, dot, scope);
    const entries: [unknown, unknown][] = Array.isArray(value)
      ? value.map((v, i) => [i, v])
      : value && typeof value === 'object'
        ? Object.keys(value)
            .sort()
            .map((k) => [k, (value as Record<string, unknown>)[k]])
        : typeof value === 'number'
          ? Array.from({ length: value }, (_, i) => [i, i])
          : [];
    if (entries.length === 0) return this.run(n.alt, dot, new Map(scope));
    let out = '';
    for (const [k, v] of entries) {
      const inner = new Map(scope);
      if (decl?.names.length === 1) inner.set(decl.names[0]!, v);
      if (decl?.names.length === 2) {
        inner.set(decl.names[0]!, k);
        inner.set(decl.names[1]!, v);
      }
      out += this.run(n.body, v, inner);
    }
    return out;
  }

  private pipe(p: Pipeline, dot: unknown, scope: Scope): unknown {
    let value: unknown;
    p.cmds.forEach((cmd, i) => {
      value = this.command(cmd, dot, scope, i > 0 ? [value] : []);
    });
    if (p.decl) {
      if (p.decl.op === '=' && !scope.has(p.decl.names[0]!))
        throw new TemplateError(`Cannot assign "${p.decl.names[0]}": undefined variable`);
      scope.set(p.decl.names[0]!, value);
    }
    return value;
  }

  private command(cmd: Command, dot: unknown, scope: Scope, piped: unknown[]): unknown {
    const head = cmd[0]!;
    const rest = cmd.slice(1);
    const args = () => [...rest.map((o) => this.operand(o, dot, scope)), ...piped];
    if (head.t === 'ident') {
      if (head.name === 'include') {
        const [name, data] = args();
        return this.include(String(name), data);
      }
      const fn = FUNCTIONS[head.name];
      if (!fn) throw new TemplateError(`Cannot call "${head.name}": function not defined`);
      return fn(...args());
    }
    const value = this.operand(head, dot, scope, true);
    if (typeof value === 'function') return value(...args());
    if (rest.length > 0 || piped.length > 0) throw new TemplateError('Cannot give arguments to a non-function value');
    return value;
  }

  private operand(o: Operand, dot: unknown, scope: Scope, asHead = false): unknown {
    if (o.t === 'lit') return o.value;
    if (o.t === 'ident') {
      const fn = FUNCTIONS[o.name];
      if (!fn) throw new TemplateError(`Cannot call "${o.name}": function not defined`);
      return fn();
    }
    let base: unknown;
    if (o.t === 'sub') base = this.pipe(o.pipe, dot, scope);
    else if (o.base === '.') base = dot;
    else {
      if (!scope.has(o.base)) throw new TemplateError(`Cannot use "${o.base}": undefined variable`);
      base = scope.get(o.base);
    }
    let value = base;
    const path = o.path;
    for (const [i, key] of path.entries()) {
      if (value === null || value === undefined) {
        throw new TemplateError(`nil pointer evaluating interface {}.${key}`);
      }
      const next = (value as Record<string, unknown>)[key];
      value = typeof next === 'function' && !(asHead && i === path.length - 1) ? next.call(value) : next;
      if (typeof next === 'function' && asHead && i === path.length - 1) value = next.bind(value);
    }
    return value;
  }
}
