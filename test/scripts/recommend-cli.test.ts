/** Runs the real `recommend` script, input on stdin, as `npm run -s recommend` does. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { CatalogViewSchema } from '../../src/domain/catalog';
import { RecommendOutputSchema } from '../../src/domain/recommend.schema';

jest.setTimeout(60_000);

const ROOT = join(__dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

const runRecommend = (stdin: string, args: string[] = []) => {
  const result = spawnSync(TSX, ['scripts/recommend.ts', ...args], { cwd: ROOT, input: stdin, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
};

describe('recommend CLI', () => {
  it('answers each case in order with one decision per application, in order', () => {
    const input = [
      {
        id: 'CC-1',
        changes: [{ code: 'site.secondary-packaging' }, { code: 'process.other' }],
        applications: [
          { id: 'NDA-1', market: 'US', type: 'NDA' },
          { id: 'MAA-1', market: 'EU', type: 'MAA' },
        ],
      },
      {
        id: 'CC-2',
        changes: [{ code: 'device.design-minor', answers: { 'eu-mdr-could-affect-safety-performance': true } }],
        applications: [
          { id: 'MDR-1', market: 'EU', type: 'CE-MDR', deviceClass: 'III' },
          { id: 'K-1', market: 'US', type: '510K' },
          { id: 'DN-1', market: 'US', type: 'DE-NOVO' },
        ],
      },
    ];
    const { status, stdout, stderr } = runRecommend(JSON.stringify(input));
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const output = RecommendOutputSchema.parse(JSON.parse(stdout));
    expect(output.map((c) => c.id)).toEqual(['CC-1', 'CC-2']);
    expect(output.map((c) => c.decisions.map((d) => [d.applicationId, d.category]))).toEqual([
      [
        ['NDA-1', 'CBE-30'],
        ['MAA-1', 'REVIEW-REQUIRED'],
      ],
      [
        ['MDR-1', 'NB-PRIOR-APPROVAL'],
        ['K-1', 'LETTER-TO-FILE'],
        ['DN-1', 'LETTER-TO-FILE'],
      ],
    ]);
    expect(output[0]?.decisions[1]?.rationale).toContain('eu-guideline-classification');
  });

  it('treats an unknown change code as a case for review, not as invalid input', () => {
    const { status, stdout } = runRecommend(
      JSON.stringify([
        { id: 'X', changes: [{ code: 'made.up' }], applications: [{ id: 'A', market: 'US', type: 'NDA' }] },
      ]),
    );
    expect(status).toBe(0);
    const output = RecommendOutputSchema.parse(JSON.parse(stdout));
    expect(output[0]?.decisions[0]?.category).toBe('REVIEW-REQUIRED');
    expect(output[0]?.decisions[0]?.rationale).toContain('made.up');
  });

  it('prints the catalog per application type with --catalog', () => {
    const { status, stdout } = runRecommend('', ['--catalog']);
    expect(status).toBe(0);
    const view = CatalogViewSchema.parse(JSON.parse(stdout));
    const design = view.codes.find((c) => c.code === 'device.design-significant');
    expect(design?.title.length).toBeGreaterThan(0);
    expect(design?.questions.map((q) => q.id)).toContain('us-pma-supporting-data');
    expect(design?.byApplicationType['510K'].categories).toEqual(['NEW-510K']);
    expect(design?.byApplicationType['DE-NOVO'].categories).toEqual(['NEW-510K']);
    expect(design?.byApplicationType.ANDA.applicable).toBe(false);
    expect(view.catalogDigest).toMatch(/^[0-9a-f]{64}$/);
  });

  describe('invalid input: exit 2, the JSON path on stderr, nothing on stdout', () => {
    it.each([
      ['bad JSON', '[{"id": ', /^\$: not valid JSON/],
      ['not an array', '{"id":"x"}', /^\$: .*expected array/],
      [
        'an unknown application type',
        JSON.stringify([
          {
            id: 'a',
            changes: [],
            applications: [
              { id: 'A', market: 'US', type: 'NDA' },
              { id: 'B', market: 'US', type: 'IND' },
            ],
          },
        ]),
        /^\$\[0\]\.applications\[1\]\.type: /,
      ],
      [
        'an unknown device class',
        JSON.stringify([
          { id: 'a', changes: [], applications: [{ id: 'A', market: 'EU', type: 'CE-MDR', deviceClass: 'IV' }] },
        ]),
        /^\$\[0\]\.applications\[0\]\.deviceClass: /,
      ],
      [
        'a device class on a drug application',
        JSON.stringify([
          { id: 'a', changes: [], applications: [{ id: 'A', market: 'US', type: 'NDA', deviceClass: 'III' }] },
        ]),
        /^\$\[0\]\.applications\[0\]\.deviceClass: a NDA application has no device class/,
      ],
      [
        'an answer that is neither boolean nor text',
        JSON.stringify([
          {
            id: 'a',
            changes: [{ code: 'x.y', answers: { 'q-1': 3 } }],
            applications: [{ id: 'A', market: 'US', type: 'NDA' }],
          },
        ]),
        /^\$\[0\]\.changes\[0\]\.answers\["q-1"\]: /,
      ],
      [
        'a missing change code',
        JSON.stringify([
          { id: 'a', changes: [{ answers: {} }], applications: [{ id: 'A', market: 'US', type: 'NDA' }] },
        ]),
        /^\$\[0\]\.changes\[0\]\.code: /,
      ],
      [
        'an unknown key',
        JSON.stringify([
          { id: 'a', changes: [], applications: [{ id: 'A', market: 'US', type: 'NDA', devicClass: 'III' }] },
        ]),
        /^\$\[0\]\.applications\[0\]\.devicClass: /,
      ],
    ])('%s', (_name, stdin, message) => {
      const { status, stdout, stderr } = runRecommend(stdin);
      expect(status).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toMatch(message);
    });

    it('rejects an unknown argument', () => {
      const { status, stdout, stderr } = runRecommend('[]', ['--catalgo']);
      expect(status).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toContain('--catalgo');
    });
  });
});
