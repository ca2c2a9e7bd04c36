import type { Edge } from '../core/edge.js';
import { renderDot } from './dot.js';
import { renderClientIntents } from './intents.js';
import { renderJson, toEdgesDocument } from './json.js';
import { type NetworkPolicyOptions, renderNetworkPolicies } from './network-policy.js';
import { renderText } from './text.js';
import { toYaml } from './yaml.js';

export { describeNode, formatBytes, targetName } from './describe.js';
export { renderDot } from './dot.js';
export {
  buildClientIntents,
  type ClientIntents,
  type ClientIntentsResult,
  type IntentTarget,
  renderClientIntents,
} from './intents.js';
export {
  type EdgeDocument,
  type EdgesDocument,
  edgeDocumentSchema,
  edgesDocumentSchema,
  endpointDocument,
  nodeIdOf,
  parseEdgesDocument,
  renderJson,
  toEdgesDocument,
} from './json.js';
export {
  buildNetworkPolicies,
  type NetworkPolicies,
  type NetworkPolicy,
  type NetworkPolicyOptions,
  renderNetworkPolicies,
} from './network-policy.js';
export { renderText } from './text.js';
export { toYaml, toYamlStream } from './yaml.js';

/** the formats of `exportFormat` in src/contract/query.ts */
export type ExportFormatName = 'text' | 'json' | 'yaml' | 'dot' | 'networkpolicy' | 'intents';

/** the edges document as YAML (same data as renderJson) */
export function renderYaml(edges: readonly Edge[]): string {
  return toYaml(toEdgesDocument(edges));
}

/** renders merged edges (see mergeWindows in src/aggregate) in one of the export formats */
export function renderEdges(format: ExportFormatName, edges: readonly Edge[], options: NetworkPolicyOptions = {}) {
  switch (format) {
    case 'text':
      return renderText(edges);
    case 'json':
      return renderJson(edges);
    case 'yaml':
      return renderYaml(edges);
    case 'dot':
      return renderDot(edges);
    case 'networkpolicy':
      return renderNetworkPolicies(edges, options);
    case 'intents':
      return renderClientIntents(edges);
  }
}
