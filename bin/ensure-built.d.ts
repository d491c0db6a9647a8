/** Builds dist/ when src/ changed since the last build (source checkouts); false when the build failed. */
export function ensureBuilt(force?: boolean): Promise<boolean>;
/** True when this is a source checkout whose dist/ is missing or older than src/. */
export function isStale(): boolean;
