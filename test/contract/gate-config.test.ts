/**
 * The one schema the gate validators and their configuration views share: what Jira hands a
 * validator (parsed, JSON text, nothing), what each gate accepts, and what the view says.
 */
import {
  GATE_CONFIG_SETTINGS,
  GATE_OF_MODULE,
  describeGateConfig,
  parseGateConfig,
  serializeGateConfig,
} from '../../src/contract/gate-config';
import { GateIdSchema } from '../../src/domain/gates';
import { loadManifest } from '../../sandbox/app-host';

describe('parseGateConfig', () => {
  it('reads nothing saved yet as the defaults: every market, fail closed', () => {
    for (const raw of [undefined, null, '', '{}', {}])
      expect(parseGateConfig('filing-planned', raw)).toEqual({ ok: true, config: { failClosed: true } });
  });

  it('reads the JSON text the view saved the same as the parsed value', () => {
    const config = { markets: ['US', 'EU'], failClosed: false, implementStatusIds: ['10005'] };
    expect(parseGateConfig('prior-approval-granted', JSON.stringify(config))).toEqual({ ok: true, config });
    expect(parseGateConfig('prior-approval-granted', config)).toEqual({ ok: true, config });
  });

  it.each([
    ['not JSON', '{markets', /not JSON/],
    ['an unknown setting', { market: ['US'] }, /Unrecognized key/],
    ['a market that is not a code', { markets: ['usa'] }, /markets\.0: must be a market code/],
    ['an empty market list', { markets: [] }, /name at least one market/],
    ['a status that is not an id', { implementStatusIds: ['Closed'] }, /must be a Jira status id/],
  ])('refuses %s, naming the setting', (_what, raw, message) => {
    const parsed = parseGateConfig('prior-approval-granted', raw);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.message).toMatch(message);
  });

  it('refuses settings a gate would ignore', () => {
    expect(parseGateConfig('impact-assessed', { markets: ['US'] })).toMatchObject({ ok: false });
    for (const gate of GateIdSchema.options.filter((g) => g !== 'prior-approval-granted')) {
      expect(parseGateConfig(gate, { implementStatusIds: ['10005'] })).toMatchObject({ ok: false });
    }
  });

  it('round-trips through what the view hands Jira', () => {
    const serialized = serializeGateConfig('evidence-complete', { markets: ['EU'] });
    if (!serialized.ok) throw new Error(serialized.message);
    expect(parseGateConfig('evidence-complete', serialized.json)).toEqual({
      ok: true,
      config: { markets: ['EU'], failClosed: true },
    });
  });
});

describe('describeGateConfig', () => {
  it('says what each setting means, with status names', () => {
    expect(
      describeGateConfig(
        'prior-approval-granted',
        { markets: ['EU'], failClosed: false, implementStatusIds: ['7'] },
        (id) => (id === '7' ? 'Released' : id),
      ),
    ).toEqual([
      'Holds for EU only.',
      'Holds only on transitions into Released (implement or release).',
      'When Jira cannot be read, the transition is let through (fail open, outages only).',
    ]);
    expect(describeGateConfig('impact-assessed', { failClosed: true })).toEqual([
      'When Jira cannot be read, the transition is refused (fail closed).',
    ]);
  });
});

describe('the validator modules of manifest.yml', () => {
  it('are exactly the modules the config views know, each for a gate with settings', () => {
    const validators = loadManifest().modules['jira:workflowValidator'] ?? [];
    expect(validators.map((v) => v.key).sort()).toEqual(Object.keys(GATE_OF_MODULE).sort());
    expect(Object.keys(GATE_CONFIG_SETTINGS).sort()).toEqual([...GateIdSchema.options].sort());
  });
});
