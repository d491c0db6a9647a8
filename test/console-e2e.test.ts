// The web console in headless Chromium (Debian's, driven by playwright-core), against a real server whose
// records were exported by softflowd: sign in, the flow-log table, a flow log's records and chart, create and
// deactivate from the console and check through the official SDK, the network view, errors in words, and no
// script errors in the page. With UPDATE_SCREENSHOTS=1 it also writes docs/screenshots/*.png.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import axe from 'axe-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_ACCESS_KEY_ID, DEV_ACCESS_KEY_SECRET } from '../src/products/identity/identity-service.js';
import { launchChromium, runBrowserTests, type RunningBrowser } from './support/chromium.js';
import { vpcClient, VpcModels, type VpcClient } from './support/clients.js';
import { ramUser } from './support/identity.js';
import { buildPcap, type PcapPacket } from '../src/dataplane/sample/pcap-writer.js';
import { startTestServer, type TestServer } from './support/server.js';
import { skipWithout } from './support/real-tools.js';
import { hasSoftflowd, runSoftflowd } from './support/softflowd.js';
import { makeWorld, type World } from './support/world.js';

const SCREENSHOTS = process.env['UPDATE_SCREENSHOTS'] === '1';
const SHOTS_DIR = join(import.meta.dirname, '..', 'docs', 'screenshots');
const REGION = 'cn-hangzhou';
const A = '10.0.1.10'; // world.eniIds[0]
const B = '10.0.1.11'; // world.eniIds[1]

let server: TestServer;
let world: World;
let vpc: VpcClient;
let chromium: RunningBrowser;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let work: string;
const scriptErrors: string[] = [];
const ids: Record<string, string> = {};

async function describeFlowLog(flowLogId: string) {
  const res = await vpc.describeFlowLogs(
    new VpcModels.DescribeFlowLogsRequest({ regionId: REGION, flowLogId }),
  );
  return res.body?.flowLogs?.flowLog?.[0];
}

async function untilStatus(flowLogId: string, status: string): Promise<void> {
  for (let i = 0; i < 200 && (await describeFlowLog(flowLogId))?.status !== status; i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  expect((await describeFlowLog(flowLogId))?.status).toBe(status);
}

async function createFlowLog(name: string, resourceType: string, resourceId: string, logstore: string) {
  const res = await vpc.createFlowLog(
    new VpcModels.CreateFlowLogRequest({
      regionId: REGION,
      flowLogName: name,
      resourceType,
      resourceId,
      trafficType: 'All',
      projectName: world.project,
      logStoreName: logstore,
      aggregationInterval: 1,
    }),
  );
  return res.body!.flowLogId!;
}

/** A few minutes of traffic of ENI A, ending three minutes ago: one flow per minute and peer. */
function traffic(): PcapPacket[] {
  const minute = 60_000;
  const base = Math.floor(Date.now() / minute) * minute - 8 * minute;
  const packets: PcapPacket[] = [];
  for (let m = 0; m < 5; m++) {
    const t = base + m * minute + 5_000;
    for (let i = 0; i <= m; i++) {
      packets.push({
        tsMs: t + i * 100,
        src: A,
        dst: B,
        proto: 'tcp',
        sport: 40000 + m,
        dport: 443,
        payloadLength: 200 + 300 * m,
      });
      packets.push({
        tsMs: t + i * 100 + 50,
        src: B,
        dst: A,
        proto: 'tcp',
        sport: 443,
        dport: 40000 + m,
        payloadLength: 1200,
      });
    }
    packets.push({
      tsMs: t + 2_000,
      src: A,
      dst: '100.100.2.136',
      proto: 'udp',
      sport: 53000 + m,
      dport: 53,
      payloadLength: 40,
    });
  }
  return packets;
}

async function exportTraffic(): Promise<void> {
  const file = join(work, 'traffic.pcap');
  writeFileSync(file, buildPcap(traffic()));
  const dataplane = server.app.dataplane!;
  const before = dataplane.counters().collector.datagrams;
  const result = await runSoftflowd({
    pcapFile: file,
    port: dataplane.bound[0]!.port,
    version: 10,
    pidFile: `${file}.pid`,
  });
  expect(result.timedOut).toBe(false);
  // Wait (bounded) until the collector has read every datagram softflowd says it sent.
  const exported = Number(/in (\d+) packets/.exec(result.stdout)?.[1] ?? '1');
  for (let i = 0; i < 500 && dataplane.counters().collector.datagrams - before < exported; i++) {
    await new Promise((r) => setTimeout(r, 20));
  }
  const flush = await fetch(`${server.url}/_vpcflow/flush`, { method: 'POST' });
  expect(flush.status).toBe(200);
}

async function shot(name: string, target: Page = page): Promise<void> {
  if (!SCREENSHOTS) return;
  mkdirSync(SHOTS_DIR, { recursive: true });
  await target.screenshot({ path: join(SHOTS_DIR, `${name}.png`), fullPage: true });
}

/** WCAG 2 A/AA violations axe-core finds on the page as it is now (contrast, labels, roles, names, …). */
async function accessibilityViolations(p: Page = page): Promise<string[]> {
  // page.evaluate runs through the DevTools protocol, so the page's CSP does not block the injected engine.
  await p.evaluate(axe.source);
  return p.evaluate<string[]>(
    `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
      .then((r) => r.violations.map((v) => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')))`,
  );
}

async function newPage(viewport = { width: 1366, height: 768 }): Promise<Page> {
  const p = await context.newPage();
  await p.setViewportSize(viewport);
  p.on('console', (msg) => {
    if (msg.type() === 'error') scriptErrors.push(`console: ${msg.text()}`);
  });
  p.on('pageerror', (err) => scriptErrors.push(`pageerror: ${err.message}`));
  return p;
}

const row = (p: Page, flowLogId: string) => p.locator(`tr[data-flow-log-id="${flowLogId}"]`);

describe.skipIf(!runBrowserTests || skipWithout(hasSoftflowd))('web console in Chromium', () => {
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'vpcflow-console-'));
    server = await startTestServer({ collectors: ['127.0.0.1:0'], transitionMs: 1000 });
    vpc = vpcClient(server.endpoint);
    world = await makeWorld(server.app, { enis: 2, logstores: 4 });
    ids['web'] = await createFlowLog('web-eni', 'NetworkInterface', world.eniIds[0]!, world.logstores[0]!);
    ids['audit'] = await createFlowLog('vpc-audit', 'VPC', world.vpcId, world.logstores[1]!);
    ids['stop'] = await createFlowLog('vsw-to-stop', 'VSwitch', world.vswitchId, world.logstores[2]!);
    for (const id of Object.values(ids)) await untilStatus(id, 'Active');
    // Date the ENI flow log back so the windows the flush closes are ones it covers (NODATA after the traffic).
    await server.app.store.db.run('UPDATE flow_logs SET created_at = ? WHERE flow_log_id = ?', [
      Date.now() - 15 * 60_000,
      ids['web'],
    ]);
    await exportTraffic();
    chromium = await launchChromium();
    browser = chromium.browser;
    context = await browser.newContext({ timezoneId: 'Europe/Berlin', locale: 'en-GB' });
    page = await newPage();
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await chromium?.close();
    await server?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('a wrong secret is refused with the API error in words (signing in by keyboard alone)', async () => {
    await page.goto(`${server.url}/console/`);
    await page.getByLabel('AccessKey ID').focus();
    await page.keyboard.type(DEV_ACCESS_KEY_ID);
    await page.keyboard.press('Tab');
    await page.keyboard.type('not-the-secret');
    await page.keyboard.press('Enter');
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent()).toContain('SignatureDoesNotMatch');
    expect(await alert.textContent()).toMatch(/Sign-in failed: .*signature/i);
    await shot('sign-in-error');
  });

  it('signs in and lists the seeded flow logs with ID, name, status and resource', async () => {
    await page.goto(`${server.url}/console/`);
    await page.getByRole('button', { name: 'Use the development AccessKey' }).click();
    await shot('sign-in');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const web = row(page, ids['web']!);
    await web.waitFor();
    expect(await web.textContent()).toContain(ids['web']);
    expect(await web.textContent()).toContain('web-eni');
    expect(await web.textContent()).toContain('Active');
    expect(await web.textContent()).toContain(world.eniIds[0]);
    expect(await web.textContent()).toContain('ENI');
    // The secret is nowhere on the page or in its URL.
    expect(await page.content()).not.toContain(DEV_ACCESS_KEY_SECRET);
    expect(page.url()).not.toContain(DEV_ACCESS_KEY_SECRET);
    await shot('flow-logs');
  }, 60_000);

  it("opens a flow log's traffic: softflowd's records, a chart, top talkers and NODATA windows", async () => {
    await row(page, ids['web']!).getByRole('link', { name: 'web-eni' }).click();
    await page.getByRole('heading', { name: /web-eni/ }).waitFor();
    const records = page.getByRole('table', { name: 'Records' });
    await expect.poll(() => records.locator('tbody tr').count(), { timeout: 20_000 }).toBeGreaterThan(1);
    const text = (await records.textContent()) ?? '';
    expect(text).toContain(A);
    expect(text).toContain(B);
    expect(text).toContain('443');
    expect(text).toContain('TCP');
    expect(text).toContain('ACCEPT');
    expect(await page.locator('.chart canvas').count()).toBeGreaterThan(0);
    const chartLabel = (await page.locator('.chart [role="img"]').getAttribute('aria-label')) ?? '';
    expect(chartLabel).toMatch(/out · ACCEPT [1-9]/);
    const talkers =
      (await page.getByRole('table', { name: /Source and destination pairs/ }).textContent()) ?? '';
    expect(talkers).toContain(A);
    expect(await page.getByText('NODATA').count()).toBeGreaterThan(0);
    // Times in the browser's zone (Europe/Berlin here: UTC+1 or +2), UTC on hover.
    const start = records.locator('tbody time').first();
    const utc = (await start.getAttribute('title')) ?? '';
    expect(utc).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/);
    const shownHour = Number(/(\d{2}):\d{2}:\d{2}/.exec((await start.textContent()) ?? '')?.[1]);
    expect([1, 2]).toContain((shownHour - Number(utc.slice(11, 13)) + 24) % 24);
    await shot('traffic');

    // The SLS search box narrows the records.
    await page.getByLabel('SLS search').fill('dstport: 53');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect
      .poll(async () =>
        (await records.locator('tbody tr').allTextContents()).every((r) => r.includes('100.100.2.136')),
      )
      .toBe(true);
  }, 60_000);

  it('creates a flow log from the form; the SDK sees it', async () => {
    await page.getByRole('link', { name: 'Flow logs' }).first().click();
    await page.getByRole('button', { name: 'Create flow log' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create flow log' });
    await dialog.getByLabel('Name').fill('made-in-console');
    await dialog.getByLabel('Resource type').selectOption('NetworkInterface');
    const resource = dialog.getByLabel('Resource', { exact: true });
    await resource.selectOption(world.eniIds[1]!);
    expect(await resource.textContent()).toContain(`${world.eniIds[1]} (${B})`);
    await dialog.getByLabel('SLS project').fill(world.project);
    await dialog.getByLabel('Logstore').fill(world.logstores[3]!);
    await dialog.getByLabel('Aggregation interval').selectOption('5');
    expect(await accessibilityViolations()).toEqual([]);
    await shot('create-flow-log');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.waitFor({ state: 'detached' });
    const res = await vpc.describeFlowLogs(
      new VpcModels.DescribeFlowLogsRequest({ regionId: REGION, flowLogName: 'made-in-console' }),
    );
    const created = res.body?.flowLogs?.flowLog?.[0];
    expect(created).toMatchObject({
      resourceType: 'NetworkInterface',
      resourceId: world.eniIds[1],
      projectName: world.project,
      logStoreName: world.logstores[3],
      aggregationInterval: 5,
    });
    // The table polls until the new flow log settles.
    await expect
      .poll(() => row(page, created!.flowLogId!).textContent(), { timeout: 20_000 })
      .toContain('Active');
  }, 60_000);

  it('modifies a flow log from the form; the SDK sees the new name and interval', async () => {
    const res = await vpc.describeFlowLogs(
      new VpcModels.DescribeFlowLogsRequest({ regionId: REGION, flowLogName: 'made-in-console' }),
    );
    const id = res.body!.flowLogs!.flowLog![0]!.flowLogId!;
    await row(page, id).getByRole('button', { name: 'Modify' }).click();
    const dialog = page.getByRole('dialog', { name: `Modify ${id}` });
    await dialog.getByLabel('Name').fill('renamed-in-console');
    await dialog.getByLabel('Aggregation interval').selectOption('10');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect
      .poll(() => row(page, id).textContent(), { timeout: 20_000 })
      .toMatch(/renamed-in-console.*Active/);
    expect(await describeFlowLog(id)).toMatchObject({
      flowLogName: 'renamed-in-console',
      aggregationInterval: 10,
    });
  }, 60_000);

  it('deactivates a flow log after confirmation; the SDK sees Inactive and so does the table', async () => {
    const target = row(page, ids['stop']!);
    await target.getByRole('button', { name: 'Deactivate' }).click();
    const dialog = page.getByRole('dialog', { name: 'Deactivate flow log?' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Deactivate' }).click();
    await expect.poll(() => target.textContent()).toMatch(/Deactivating|Inactive/);
    await expect.poll(() => target.textContent(), { timeout: 20_000 }).toContain('Inactive');
    expect((await describeFlowLog(ids['stop']!))?.status).toBe('Inactive');
    expect(await target.getByRole('button', { name: 'Activate' }).isEnabled()).toBe(true);

    // DescribeFlowLogs' filters: only the inactive one is left.
    const filters = page.getByRole('form', { name: 'Filter flow logs' });
    await filters.getByLabel('Status').selectOption('Inactive');
    await filters.getByLabel('Traffic type').selectOption('All');
    await filters.getByRole('button', { name: 'Filter' }).click();
    await expect.poll(() => page.locator('tr[data-flow-log-id]').count()).toBe(1);
    expect(await target.count()).toBe(1);
    await filters.getByRole('button', { name: 'Clear' }).click();
    await expect.poll(() => page.locator('tr[data-flow-log-id]').count()).toBeGreaterThan(1);
  }, 60_000);

  it('a failed action shows the API error in words with its code', async () => {
    // Deleted behind the console's back: its Delete then answers the API's not-found error.
    const ghost = await createFlowLog('ghost', 'NetworkInterface', world.eniIds[1]!, world.logstores[0]!);
    await untilStatus(ghost, 'Active');
    await page.reload();
    await row(page, ghost).waitFor();
    const del = new VpcModels.DeleteFlowLogRequest({ regionId: REGION, flowLogId: ghost });
    await vpc.deleteFlowLog(del);
    for (let i = 0; i < 200 && (await describeFlowLog(ghost)); i++)
      await new Promise((r) => setTimeout(r, 50));
    const sdkCode = await vpc.deleteFlowLog(del).then(
      () => 'none',
      (e: { code?: string }) => e.code,
    );
    await row(page, ghost).getByRole('button', { name: 'Delete' }).click();
    await page
      .getByRole('dialog', { name: 'Delete flow log?' })
      .getByRole('button', { name: 'Delete' })
      .click();
    const alert = page.getByRole('alert').filter({ hasText: `Delete ${ghost} failed` });
    await alert.waitFor();
    expect(sdkCode).not.toBe('none');
    expect(await alert.textContent()).toMatch(new RegExp(`failed: \\w.+ ${sdkCode}$`));
    await shot('action-error');
  }, 60_000);

  it('shows the network: VPC, vSwitch, ENIs with private IPs and the flow logs covering each', async () => {
    await page.getByRole('link', { name: 'Network' }).click();
    const vpcPanel = page.getByRole('region', { name: new RegExp(world.vpcId) });
    await vpcPanel.waitFor();
    const text = (await vpcPanel.textContent()) ?? '';
    expect(text).toContain(world.vswitchId);
    expect(text).toContain(world.eniIds[0]);
    expect(text).toContain(A);
    expect(text).toContain(B);
    expect(text).toContain('vpc-audit');
    expect(text).toContain('web-eni');
    expect(text).toContain('via VPC');
    await shot('network');
  }, 60_000);

  it('stays usable in a narrow window', async () => {
    // sessionStorage is per tab: the same page, resized.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('link', { name: 'Flow logs' }).first().click();
    await row(page, ids['web']!).waitFor();
    // A string, so this Node-typed file needs no DOM types: horizontal overflow of the whole page.
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await shot('flow-logs-narrow');
    await page.setViewportSize({ width: 1366, height: 768 });
  }, 60_000);

  it('a RAM user with a read-only policy sees the flow logs, and a write is refused in words', async () => {
    // vpc:Describe* only (the system AliyunVPCReadOnlyAccess, like the real one, lacks DescribeRegions).
    const readOnly = [{ Effect: 'Allow', Action: ['vpc:Describe*'], Resource: ['*'] }];
    const reader = await ramUser(server.endpoint, 'console-reader', [readOnly]);
    const own = await browser.newContext({ timezoneId: 'Europe/Berlin', locale: 'en-GB' });
    try {
      const p = await own.newPage();
      p.on('pageerror', (err) => scriptErrors.push(`pageerror: ${err.message}`));
      await p.goto(`${server.url}/console/`);
      await p.getByLabel('AccessKey ID').fill(reader.accessKeyId);
      await p.getByLabel('AccessKey Secret').fill(reader.accessKeySecret);
      await p.getByRole('button', { name: 'Sign in' }).click();
      // vpc:Describe* is allowed: the table lists the account's flow logs.
      const target = row(p, ids['audit']!);
      await target.waitFor();
      expect(await target.textContent()).toContain('Active');
      // vpc:DeactiveFlowLog is not: the console shows RAM's denial in words, with its code.
      await target.getByRole('button', { name: 'Deactivate' }).click();
      const dialog = p.getByRole('dialog', { name: 'Deactivate flow log?' });
      await dialog.getByRole('button', { name: 'Deactivate' }).click();
      const alert = p.getByRole('alert').filter({ hasText: `Deactivate ${ids['audit']} failed` });
      await alert.waitFor();
      expect(await alert.textContent()).toMatch(/not authorized.*Forbidden\.RAM$/);
      expect((await describeFlowLog(ids['audit']!))?.status).toBe('Active');
    } finally {
      await own.close();
    }
  }, 60_000);

  it('had no script errors in the page', () => {
    expect(scriptErrors.filter((e) => !/status of 4\d\d/.test(e))).toEqual([]);
  });
});
