/**
 * What `flowmap decode --summary` reports: records per exporter/version/domain/template, decoder counters and
 * drop reasons, what the capture reader skipped, truncated files, and where the first drops happened.
 * @module
 */
import type { DecodedFields, DecodeStats } from '../../decode/contracts.js';
import type { CaptureStats } from '../../decode/pcap/index.js';

export interface TemplateGroup {
  readonly exporter: string;
  readonly version: DecodedFields['version'];
  readonly observationDomainId: number;
  readonly templateId: number;
  records: number;
  optionsRecords: number;
}

export interface FileReport {
  readonly path: string;
  readonly kind: string;
  datagrams: number;
  frames?: number;
  skipped?: CaptureStats['skipped'];
  truncated?: { readonly offset: number; readonly reason: string };
}

export interface DropLocation {
  readonly file: string;
  readonly frame: number;
  readonly offset: number;
  readonly reasons: readonly string[];
}

/** the first drops are listed with their location; the rest are only counted */
const MAX_DROP_LOCATIONS = 20;

export class DecodeSummary {
  readonly files: FileReport[] = [];
  readonly groups = new Map<string, TemplateGroup>();
  readonly dropLocations: DropLocation[] = [];
  filteredByPort = 0;

  addRecord(f: DecodedFields): void {
    const key = `${f.exporter}\u0000${f.version}\u0000${f.observationDomainId}\u0000${f.templateId}`;
    let group = this.groups.get(key);
    if (!group) {
      const { exporter, version, observationDomainId, templateId } = f;
      group = { exporter, version, observationDomainId, templateId, records: 0, optionsRecords: 0 };
      this.groups.set(key, group);
    }
    if (f.recordKind === 'options') group.optionsRecords++;
    else group.records++;
  }

  addDrop(location: DropLocation): void {
    if (this.dropLocations.length < MAX_DROP_LOCATIONS) this.dropLocations.push(location);
  }

  toJson(stats: DecodeStats): Record<string, unknown> {
    return {
      files: this.files,
      filteredByPort: this.filteredByPort,
      decoder: stats,
      groups: [...this.groups.values()],
      firstDrops: this.dropLocations,
    };
  }

  toText(stats: DecodeStats): string {
    const lines: string[] = [];
    const datagrams = this.files.reduce((n, f) => n + f.datagrams, 0);
    lines.push(`files: ${this.files.length}, datagrams: ${datagrams}, filtered by port: ${this.filteredByPort}`);
    lines.push(
      `decoded: packets ${stats.packets}, records ${stats.records}, options records ${stats.optionsRecords}, ` +
        `templates ${stats.templates}, sFlow counter samples ${stats.counterSamples}, non-flow records ${stats.nonFlowRecords ?? 0}`,
    );
    lines.push(`dropped: ${formatCounts(stats.dropped)}`);
    lines.push('', table(this.groups));
    for (const f of this.files) {
      const skipped = f.skipped && Object.keys(f.skipped).length ? `, skipped: ${formatCounts(f.skipped)}` : '';
      const frames = f.frames === undefined ? '' : `, frames ${f.frames}`;
      lines.push(`file ${f.path} (${f.kind}${frames}, datagrams ${f.datagrams}${skipped})`);
      if (f.truncated) lines.push(`  truncated at offset ${f.truncated.offset}: ${f.truncated.reason}`);
    }
    for (const d of this.dropLocations) {
      lines.push(`drop: ${d.file} frame ${d.frame} (offset ${d.offset}): ${d.reasons.join(', ')}`);
    }
    return lines.join('\n');
  }
}

function formatCounts(counts: Readonly<Record<string, number | undefined>>): string {
  const entries = Object.entries(counts).filter(([, n]) => n);
  return entries.length ? entries.map(([reason, n]) => `${reason} ${n}`).join(', ') : 'none';
}

function table(groups: ReadonlyMap<string, TemplateGroup>): string {
  const header = ['exporter', 'version', 'domain', 'template', 'records', 'options'];
  const rows = [...groups.values()].map((g) => [
    g.exporter,
    String(g.version),
    String(g.observationDomainId),
    String(g.templateId),
    String(g.records),
    String(g.optionsRecords),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [header, ...rows]
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
