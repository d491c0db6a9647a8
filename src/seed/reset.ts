/**
 * POST /_vpcflow/reset: the world back to its seed files, as moto's /moto-api/reset. The seed files are
 * read and parsed first (a file that became unreadable changes nothing); then one transaction empties
 * every account's control-plane and record state, creates the bootstrap account and AccessKey and
 * applies the seed files again, so a failed reload rolls back to the world as it was.
 */
import type { ServerConfig } from '../config.js';
import type { Services } from '../products/services.js';
import { applySeed, readSeedFile, type ParsedSeed } from './seed.js';

export interface ResetResult {
  seedFiles: string[];
}

export async function resetWorld(services: Services, config: ServerConfig): Promise<ResetResult> {
  const seeds: ParsedSeed[] = [];
  for (const file of config.seedFiles) seeds.push(await readSeedFile(file));
  await services.store.resetWorld(async (repos) => {
    await services.identity.bootstrap(config.identity, repos);
    for (const seed of seeds) await applySeed(seed, repos, services);
  });
  return { seedFiles: [...config.seedFiles] };
}
