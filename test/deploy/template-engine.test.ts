import { describe, expect, it } from 'vitest';
import { TemplateSet } from './template-engine.js';

function render(source: string, data: unknown, defines = ''): string {
  const set = new TemplateSet();
  if (defines) set.add('_helpers.tpl', defines);
  set.add('t', source);
  return set.render('t', data);
}

describe('template engine (Go text/template + Sprig subset)', () => {
  it('trims whitespace at {{- and -}} markers only', () => {
    expect(render('a  {{- "b" -}}  c', {})).toBe('abc');
    expect(render('a  {{ "b" }}  c', {})).toBe('a  b  c');
    expect(render('x\n{{- /* comment */}}\ny', {})).toBe('x\ny');
  });

  it('prints <no value> for missing keys and fails on fields of nil, as Go does', () => {
    expect(render('{{ .Values.missing }}', { Values: {} })).toBe('<no value>');
    expect(() => render('{{ .Values.missing.deeper }}', { Values: {} })).toThrow(
      'nil pointer evaluating interface {}.deeper',
    );
  });

  it('follows Go truthiness in if/else if/else and with/else', () => {
    const t = '{{ if .a }}A{{ else if .b }}B{{ else }}C{{ end }}|{{ with .m }}{{ .k }}{{ else }}none{{ end }}';
    expect(render(t, { a: [], b: 0, m: {} })).toBe('C|none');
    expect(render(t, { a: '', b: 'x', m: { k: 1 } })).toBe('B|1');
  });

  it('ranges over lists with index and over maps in sorted key order, with $ as the root', () => {
    expect(render('{{ range $i, $v := .l }}{{ $i }}={{ $v }} {{ end }}', { l: ['a', 'b'] })).toBe('0=a 1=b ');
    expect(render('{{ range $k, $v := .m }}{{ $k }}:{{ $v }}{{ $.s }} {{ end }}', { m: { z: 1, a: 2 }, s: '!' })).toBe(
      'a:2! z:1! ',
    );
    expect(render('{{ range .l }}x{{ else }}empty{{ end }}', { l: [] })).toBe('empty');
  });

  it('pipes into Sprig functions and include, with Helm toYaml/nindent', () => {
    const helpers = '{{- define "name" -}}{{ default "flowmap" .n | trunc 5 | trimSuffix "-" }}{{- end -}}';
    expect(render('{{ include "name" . | upper | quote }}', { n: '' }, helpers)).toBe('"FLOWM"');
    expect(render('m:{{ toYaml .v | nindent 2 }}', { v: { b: [1, 2], a: 'x' } })).toBe(
      'm:\n  a: x\n  b:\n    - 1\n    - 2',
    );
    expect(render('{{ printf "%s-%d:%v" "a" 8080 true }}', {})).toBe('a-8080:true');
    expect(render('{{ $x := "v" }}{{ $x }}{{ $x = "w" }}{{ $x }}', {})).toBe('vw');
    expect(render('{{ and 1 0 }} {{ or 0 "" "z" }} {{ not .n }} {{ eq .p 8080 }}', { n: null, p: 8080 })).toBe(
      '0 z true true',
    );
  });

  it('prints large YAML numbers the way Go prints a float64', () => {
    expect(render('{{ .a }} {{ .b }} {{ .c }}', { a: 8080, b: 1000000, c: 0.5 })).toBe('8080 1e+06 0.5');
  });

  it('names unknown functions and unclosed blocks in its errors', () => {
    expect(() => render('{{ nope 1 }}', {})).toThrow('Cannot call "nope": function not defined');
    expect(() => render('{{ if .a }}x', { a: 1 })).toThrow('missing {{ end }}');
  });
});
