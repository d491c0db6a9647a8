/**
 * The signed-in AccessKey, kept in sessionStorage (this tab only, gone when it closes) so a reload does
 * not sign out. Never in localStorage, a cookie, the DOM or a URL.
 */
import type { Credentials } from './api/rpc.js';

const KEY = 'vpcflow.credentials';
const REGION_KEY = 'vpcflow.region';

export function loadCredentials(): Credentials | undefined {
  try {
    const value = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as Partial<Credentials> | null;
    if (typeof value?.accessKeyId === 'string' && typeof value.accessKeySecret === 'string')
      return { accessKeyId: value.accessKeyId, accessKeySecret: value.accessKeySecret };
  } catch {
    // unreadable: signed out
  }
  return undefined;
}

export function saveCredentials(credentials: Credentials | undefined): void {
  if (credentials) sessionStorage.setItem(KEY, JSON.stringify(credentials));
  else sessionStorage.removeItem(KEY);
}

export function loadRegion(): string {
  return sessionStorage.getItem(REGION_KEY) ?? 'cn-hangzhou';
}

export function saveRegion(region: string): void {
  sessionStorage.setItem(REGION_KEY, region);
}
