/**
 * One user-defined flow metric compiled from its config: filters (AND), labels with remapped names, flattened list
 * fields, a value per flow view, a bounded and expiring series table.
 * @module
 */
import type { OrientedFlow } from '../../core/conversation.js';
import type { EndpointLabels } from './endpoint-labels.js';
import { type FamilySpec, histogramSamples, type Sample } from './family.js';
import {
  type Direction,
  defaultLabelName,
  type FieldContext,
  fieldValue,
  flowValue,
  type ValueField,
} from './flow-fields.js';
import { type RenderEpoch, type SeriesBase, SeriesTable } from './series-table.js';
import type { FlowFilterConfig, FlowMetricConfig } from './user-metrics-config.js';

export const DEFAULT_BUCKETS: readonly number[] = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

interface UserSeries extends SeriesBase {
  value: number;
  /** histogram: per-bucket (non-cumulative) counts; the last slot is +Inf */
  counts?: Float64Array;
  sum: number;
  count: number;
}

type FieldValue = string | readonly string[] | undefined;
type Test = (value: FieldValue) => boolean;

function compileTest(filter: FlowFilterConfig): Test {
  const want = filter.value ?? '';
  const text = (v: FieldValue) => (typeof v === 'string' ? v : '');
  const present = (v: FieldValue) => (typeof v === 'string' ? v !== '' : v !== undefined && v.length > 0);
  const re = new RegExp(`^(?:${want})$`, 'u');
  switch (filter.match) {
    case 'presence':
      return present;
    case 'absence':
      return (v) => !present(v);
    case 'equal':
      return (v) => (Array.isArray(v) ? v.includes(want) : text(v) === want);
    case 'notEqual':
      return (v) => (Array.isArray(v) ? !v.includes(want) : text(v) !== want);
    case 'regex':
      return (v) => (Array.isArray(v) ? v.some((e) => re.test(e)) : re.test(text(v)));
    case 'notRegex':
      return (v) => (Array.isArray(v) ? !v.some((e) => re.test(e)) : !re.test(text(v)));
  }
}

export interface UserMetricDefaults {
  readonly idleTtlMs: number;
  readonly maxSeries: number;
}

export class UserMetric {
  readonly name: string;
  readonly table: SeriesTable<UserSeries>;
  readonly #config: FlowMetricConfig;
  readonly #filters: readonly { field: string; test: Test }[];
  readonly #labelNames: readonly string[];
  readonly #buckets: readonly number[];
  /** flows are split into their two directions when `direction` is a label or filtered on */
  readonly #split: boolean;
  readonly #flatten: string | undefined;
  readonly #labels: EndpointLabels;

  readonly #epoch: RenderEpoch;

  constructor(config: FlowMetricConfig, defaults: UserMetricDefaults, labels: EndpointLabels, epoch: RenderEpoch) {
    this.#config = config;
    this.#labels = labels;
    this.#epoch = epoch;
    this.name = `${config.prefix}${config.name}`;
    this.#filters = config.filters.map((f) => ({ field: f.field, test: compileTest(f) }));
    this.#labelNames = config.labels.map((l) => config.remap[l] ?? defaultLabelName(l));
    this.#buckets = config.buckets ?? DEFAULT_BUCKETS;
    this.#split = config.labels.includes('direction') || config.filters.some((f) => f.field === 'direction');
    this.#flatten = config.flatten[0];
    const histogram = config.type === 'histogram';
    const slots = this.#buckets.length + 1;
    this.table = new SeriesTable<UserSeries>(
      config.maxSeries ?? defaults.maxSeries,
      config.idleTtlMs ?? defaults.idleTtlMs,
      (values, now) =>
        histogram
          ? {
              values,
              lastSeen: now,
              born: epoch.renders,
              bornAt: now,
              value: 0,
              counts: new Float64Array(slots),
              sum: 0,
              count: 0,
            }
          : { values, lastSeen: now, born: epoch.renders, bornAt: now, value: 0, sum: 0, count: 0 },
    );
  }

  observe(flow: OrientedFlow, now: number): void {
    if (!this.#split) {
      this.#view({ flow, direction: 'to_server', labels: this.#labels }, now);
      return;
    }
    if (flow.packetsToServer > 0 || flow.bytesToServer > 0) this.#view(this.#ctx(flow, 'to_server'), now);
    if (flow.packetsToClient > 0 || flow.bytesToClient > 0) this.#view(this.#ctx(flow, 'to_client'), now);
  }

  #ctx(flow: OrientedFlow, direction: Direction): FieldContext {
    return { flow, direction, labels: this.#labels };
  }

  #view(c: FieldContext, now: number): void {
    const flattened = this.#flatten;
    if (flattened === undefined) {
      this.#count(c, undefined, undefined, now);
      return;
    }
    const list = fieldValue(flattened, c);
    if (!Array.isArray(list)) return;
    for (const element of list) this.#count(c, flattened, element, now);
  }

  /** counts one view when every filter holds; `element` replaces the flattened field's value */
  #count(c: FieldContext, flattened: string | undefined, element: string | undefined, now: number): void {
    for (const filter of this.#filters) {
      if (!filter.test(filter.field === flattened ? element : fieldValue(filter.field, c))) return;
    }
    const fields = this.#config.labels;
    const values = new Array<string>(fields.length);
    let key = '';
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i]!;
      const v = field === flattened ? element : fieldValue(field, c);
      const text = v === undefined ? '' : typeof v === 'string' ? v : v.join(',');
      values[i] = text;
      key = i === 0 ? text : `${key}\u0001${text}`;
    }
    const series = this.table.touch(key, () => values, now);
    if (!series) return;
    const value = flowValue(this.#config.valueField as ValueField, c, this.#split) / this.#config.divider;
    switch (this.#config.type) {
      case 'counter':
        series.value += value;
        return;
      case 'gauge':
        series.value = value;
        return;
      case 'histogram': {
        let slot = 0;
        while (slot < this.#buckets.length && value > this.#buckets[slot]!) slot++;
        series.counts![slot]!++;
        series.sum += value;
        series.count++;
      }
    }
  }

  family(): FamilySpec {
    const { help, type } = this.#config;
    return {
      name: this.name,
      help: help || `User-defined flow metric ${this.name}`,
      type,
      collect: () => {
        const out: Sample[] = [];
        for (const s of this.table.values()) {
          const labels: Record<string, string> = {};
          this.#labelNames.forEach((name, i) => {
            labels[name] = s.values[i]!;
          });
          const zero = this.#epoch.value(s, 1) === 0;
          if (type === 'histogram') {
            const counts = zero ? new Float64Array(s.counts!.length) : s.counts!;
            out.push(
              ...histogramSamples(this.name, labels, this.#buckets, counts, zero ? 0 : s.sum, zero ? 0 : s.count),
            );
          } else out.push({ labels, value: type === 'counter' && zero ? 0 : s.value });
        }
        return out;
      },
    };
  }
}
