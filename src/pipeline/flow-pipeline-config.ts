/**
 * Configuration of the composed flow pipeline (enrich -> orient -> aggregate) that `serve` and `map` both run.
 * @module
 */
import * as z from 'zod';
import { aggregateConfig } from '../aggregate/index.js';
import { orientConfig } from '../orient/index.js';

export const flowPipelineConfig = z.object({
  orient: orientConfig.prefault({}).describe('direction, pairing, dedup across exporters, DNAT merging'),
  aggregate: aggregateConfig.prefault({}).describe('edges per time bucket and grouping level'),
});

export type FlowPipelineConfig = z.infer<typeof flowPipelineConfig>;
