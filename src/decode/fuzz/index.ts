export {
  type FuzzFormat,
  type FuzzOptions,
  type FuzzReport,
  runFuzz,
} from './fuzz.js';
export { seedPackets } from './seeds.js';
