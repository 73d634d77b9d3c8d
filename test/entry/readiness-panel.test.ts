/**
 * The "Submission readiness" panel's resolver, run as Forge runs it: the real handler from
 * src/index.ts, through the sandbox runtime (real @forge/api, asUser), against the Jira
 * stand-in seeded with the demo site, every request checked against Atlassian's spec.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSandboxApp } from '../../sandbox/app-host';
import type { SandboxApp } from '../../sandbox/app-host';
import { RESTRICTED_ACCOUNT_ID, createDemoClock, seedDemoJira } from '../../sandbox/demo/seed';
import { SITE_ACCOUNTS } from '../../sandbox/jira';
import { readinessPanelResolver } from '../../src';
import { envelopeSchema } from '../../src/contract/envelope';
import { RESOLVER_CONTRACT } from '../../src/contract/resolvers';
import { manifestFile } from '../../static/readiness-panel/src/manifest';
import { createContractObserver } from '../support/contract-observer';

const contract = createContractObserver();

const RIM_ONLY = '557058:rory-rim-only';

const GetAnswerSchema = envelopeSchema(RESOLVER_CONTRACT['readiness/get'].output);
const ExportAnswerSchema = envelopeSchema(RESOLVER_CONTRACT['readiness/export'].output);
const issuePanel = (key: string, type = 'Submission') => ({
  type: 'jira:issuePanel',
  issue: { key, type },
  project: { key: key.split('-')[0] },
});

let app: SandboxApp;

const invoke = (
  functionKey: string,
  accountId: string,
  options: { payload?: unknown; extension?: Record<string, unknown> } = {},
) =>
  app.runtime.invokeResolver(
    readinessPanelResolver,
    {
      functionKey,
      payload: 'payload' in options ? options.payload : {},
      extension: options.extension ?? issuePanel('RIM-1'),
    },
    { accountId, moduleKey: 'readiness-panel', moduleType: 'jira:issuePanel', functionKey: 'fn-readiness-panel' },
  );

const getReadiness = async (
  accountId: string,
  options: { payload?: unknown; extension?: Record<string, unknown> } = {},
) => GetAnswerSchema.parse(await invoke('readiness/get', accountId, options));

const exportPacket = async (format: string, accountId: string = SITE_ACCOUNTS.regulatory) => {
  const answer = ExportAnswerSchema.parse(await invoke('readiness/export', accountId, { payload: { format } }));
  if (!answer.ok) throw new Error(`unexpected answer ${JSON.stringify(answer)}`);
  return answer.data;
};

beforeEach(() => {
  app = createSandboxApp({ now: createDemoClock(), observeJira: contract.observe });
  seedDemoJira(app.jira);
  app.jira.seedUser({ accountId: RIM_ONLY, email: 'rory.rim@qms-rim.example', displayName: 'Rory Rim-only' });
  app.jira.grantPermissions({ accountId: RIM_ONLY, projectKey: 'RIM', permissions: ['BROWSE_PROJECTS'] });
});
afterEach(async () => {
  await app.close();
  expect(contract.violations()).toEqual([]);
  contract.reset();
});

describe('readiness/get', () => {
  it('shows the regulatory reviewer the linked QMS record of RIM-1 with its approver from the changelog, its decision and the figure, in at most 3 Jira calls', async () => {
    app.jira.resetMetrics();
    const answer = await getReadiness(SITE_ACCOUNTS.regulatory);
    expect(app.jira.metrics().total).toBeLessThanOrEqual(3);
    if (!answer.ok || !answer.data.applies) throw new Error(`unexpected answer ${JSON.stringify(answer)}`);
    const panel = answer.data;
    expect(panel.submission).toEqual({
      key: 'RIM-1',
      applicationId: 'APP-NDA-CARDIOLOL',
      market: 'US',
      category: 'PAS',
      status: 'submitted',
    });
    expect(panel.records).toHaveLength(1);
    expect(panel.records[0]).toMatchObject({
      key: 'QMS-5',
      kind: 'change-control',
      status: { name: 'Approved' },
      approvedBy: 'Ada Admin',
      approvedAt: expect.stringMatching(/^2026-06-10T/),
      decision: {
        recommended: 'PAS',
        decided: 'PAS',
        rationale: expect.stringContaining('prior approval supplement'),
        decidedBy: { displayName: 'Rita Regulatory' },
      },
    });
    expect(panel.hiddenRecordCount).toBe(0);
    expect(panel.figure).toEqual({
      ready: panel.records.filter((r) => r.ready).length,
      total: 1,
      percent: panel.records[0]?.ready ? 100 : 0,
    });
  });

  it('finds who approved a record and when even past the 100 histories Jira embeds, with one changelog bulk fetch more', async () => {
    for (let i = 0; i < 120; i++) {
      app.jira.seedHistory({
        issue: 'QMS-5',
        author: SITE_ACCOUNTS.quality,
        created: `2026-07-${String(1 + (i % 28)).padStart(2, '0')}T10:${String(i % 60).padStart(2, '0')}:00.000Z`,
        items: [
          {
            field: 'labels',
            fieldtype: 'jira',
            fieldId: 'labels',
            from: null,
            fromString: null,
            to: `l${i}`,
            toString: `l${i}`,
          },
        ],
      });
    }
    app.jira.resetMetrics();
    const answer = await getReadiness(SITE_ACCOUNTS.regulatory);
    if (!answer.ok || !answer.data.applies) throw new Error(`unexpected answer ${JSON.stringify(answer)}`);
    expect(answer.data.records[0]).toMatchObject({
      key: 'QMS-5',
      approvedBy: 'Ada Admin',
      approvedAt: expect.stringMatching(/^2026-06-10T/),
    });
    expect(app.jira.metrics().byEndpoint['POST /rest/api/3/changelog/bulkfetch']).toBe(1);
    expect(app.jira.metrics().total).toBe(3);
  });

  it('answers NOT_FOUND for the Submission to users who cannot browse RIM, with no RIM data', async () => {
    for (const accountId of [SITE_ACCOUNTS.quality, RESTRICTED_ACCOUNT_ID]) {
      const answer = await getReadiness(accountId);
      expect(answer).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      expect(JSON.stringify(answer)).not.toMatch(/APP-NDA|PAS|stack|at .*\.ts/);
      const exported = ExportAnswerSchema.parse(
        await invoke('readiness/export', accountId, { payload: { format: 'json' } }),
      );
      expect(exported).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    }
  });

  it('names no quality record to a viewer who can browse RIM but not QMS', async () => {
    const answer = await getReadiness(RIM_ONLY);
    if (!answer.ok || !answer.data.applies) throw new Error(`unexpected answer ${JSON.stringify(answer)}`);
    expect(JSON.stringify(answer)).not.toMatch(/QMS-\d/);
    expect(answer.data.records).toEqual([]);
    expect(answer.data.isReady).toBe(false);
  });

  it('says the panel does not apply on a QMS record', async () => {
    const answer = await getReadiness(SITE_ACCOUNTS.regulatory, { extension: issuePanel('QMS-5', 'Change Control') });
    expect(answer).toMatchObject({
      ok: true,
      data: { applies: false, issueKey: 'QMS-5', message: expect.stringContaining('not a Submission') },
    });
  });

  it('answers a typed error when Forge sends no issue in the context', async () => {
    const answer = await getReadiness(SITE_ACCOUNTS.regulatory, { extension: { type: 'jira:issuePanel' } });
    expect(answer).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringContaining('issue') },
    });
  });

  it.each([
    ['readiness/get', 'extra keys', { issueKey: 'RIM-2' }],
    ['readiness/get', 'a string', 'RIM-2'],
    ['readiness/export', 'no format', {}],
    ['readiness/export', 'an unknown format', { format: 'pdf' }],
    ['readiness/export', 'extra keys', { format: 'json', issueKey: 'RIM-2' }],
    ['readiness/export', 'an array', ['json']],
  ])(
    '%s refuses a payload of %s with INVALID_INPUT, and calls Jira not at all',
    async (functionKey, _what, payload) => {
      app.jira.resetMetrics();
      const answer = await invoke(functionKey, SITE_ACCOUNTS.regulatory, { payload });
      expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.any(String) } });
      expect(app.jira.metrics().total).toBe(0);
    },
  );
});

describe('readiness/export', () => {
  const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

  it('exports JSON that parses back, with a manifest matching the content, in at most 3 Jira calls', async () => {
    app.jira.resetMetrics();
    const file = await exportPacket('json');
    expect(app.jira.metrics().total).toBeLessThanOrEqual(3);
    expect(file.filename).toBe('evidence-packet-RIM-1.json');
    const packet = JSON.parse(file.content) as {
      submission: { key: string };
      records: Array<Record<string, unknown>>;
      packetSha256: string;
      generatedAt: string;
    };
    expect(packet.submission.key).toBe('RIM-1');
    expect(packet.records[0]).toMatchObject({
      key: 'QMS-5',
      version: 6,
      status: 'Approved',
      approvedBy: 'Ada Admin',
      decided: 'PAS',
      rationale: expect.any(String),
    });
    expect(Number.isNaN(Date.parse(packet.generatedAt))).toBe(false);
    expect(packet.packetSha256).toBe(file.manifest.packetSha256);
    expect(file.manifest.files).toEqual([
      { name: file.filename, sha256: sha256(file.content), bytes: Buffer.byteLength(file.content, 'utf8') },
    ]);
  });

  it('offers a manifest file that `sha256sum -c` accepts for the exported file, and rejects once the file is changed', async () => {
    const file = await exportPacket('csv');
    const manifest = manifestFile(file);
    expect(manifest.filename).toBe('evidence-packet-RIM-1.csv.sha256');
    const dir = mkdtempSync(join(tmpdir(), 'packet-'));
    try {
      writeFileSync(join(dir, file.filename), file.content, 'utf8');
      writeFileSync(join(dir, manifest.filename), manifest.content, 'utf8');
      expect(spawnSync('sha256sum', ['-c', manifest.filename], { cwd: dir, encoding: 'utf8' })).toMatchObject({
        status: 0,
        stdout: 'evidence-packet-RIM-1.csv: OK\n',
      });
      writeFileSync(join(dir, file.filename), `${file.content} `, 'utf8');
      expect(spawnSync('sha256sum', ['-c', manifest.filename], { cwd: dir, encoding: 'utf8' }).status).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exports CSV with a BOM whose record row names the approver and decision', async () => {
    const file = await exportPacket('csv');
    expect(file.mediaType).toMatch(/^text\/csv/);
    expect(file.content.charCodeAt(0)).toBe(0xfeff);
    const lines = file.content.slice(1).split('\r\n');
    expect(lines[0]).toBe(
      'submission,record,summary,version,status,approved_by,approved_at,recommended,decided,rationale,decided_by,decided_at,signature_meaning,signature',
    );
    expect(lines[1]).toMatch(/^RIM-1,QMS-5,.*,Approved,Ada Admin,2026-06-10T.*,PAS,PAS,/);
    expect(file.manifest.files[0]?.sha256).toBe(sha256(file.content));
  });

  it('exports a printable HTML page without scripts (escaping is covered in test/domain/evidence-packet.test.ts)', async () => {
    const file = await exportPacket('html');
    expect(file.mediaType).toMatch(/^text\/html/);
    expect(file.content).toContain('<h1>Evidence packet: RIM-1</h1>');
    expect(file.content).toContain('QMS-5');
    expect(file.content).not.toMatch(/<script/i);
    expect(file.manifest.files[0]?.sha256).toBe(sha256(file.content));
  });

  it('refuses to export from an issue that is not a Submission', async () => {
    const answer = await invoke('readiness/export', SITE_ACCOUNTS.regulatory, {
      payload: { format: 'csv' },
      extension: issuePanel('QMS-5', 'Change Control'),
    });
    expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });
});
