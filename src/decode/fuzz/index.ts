export {
  type FuzzFormat,
  type FuzzOptions,
  type FuzzReport,
  mutate,
  random,
  randomTemplatePacket,
  runFuzz,
} from './fuzz.js';
export { seedPackets } from './seeds.js';
