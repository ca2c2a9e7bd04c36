/** `flowmap decode FILE...` (placeholder until the decoders land) */
export async function run(_argv: string[]): Promise<number> {
  console.error('Cannot decode yet: the decoders are not built');
  return 1;
}
