/** Loads seed files (a ready world at start-up). (Filled in by the network-resources work.) */
import type { Services } from '../products/services.js';

export async function loadSeedFiles(files: readonly string[], _services: Services): Promise<void> {
  if (files.length > 0) throw new Error('seed files are not supported yet');
}
