import { describe, expect, it } from '@jest/globals';
import { DEFAULTS, ONE_EACH, parseOptions, parseReplicas, UsageError } from './bench.options.js';

describe(parseOptions.name, () => {
  it('takes the defaults when told nothing: one process of each service, then two workflow and two notifier replicas', () => {
    expect(parseOptions([])).toEqual(DEFAULTS);
    expect(DEFAULTS.replicas).toEqual([ONE_EACH, { intake: 1, workflow: 2, notifier: 2 }]);
  });

  it('reads flags as `--flag value` and `--flag=value`, and flags win over the environment', () => {
    const options = parseOptions(['--n', '2', '--rate=2', '--duration', '3'], { BENCH_N: '9', BENCH_RAW_JOBS: '50' });
    expect(options).toMatchObject({ n: 2, rate: 2, duration: 3, rawJobs: 50 });
  });

  it('runs one phase with --replicas off, and the phase asked for after the single-process one otherwise', () => {
    expect(parseOptions(['--replicas', 'off'])).toMatchObject({ replicas: [ONE_EACH] });
    expect(parseOptions(['--replicas', 'workflow=3'])).toMatchObject({ replicas: [ONE_EACH, { intake: 1, workflow: 3, notifier: 1 }] });
    // Asking for one of each again is not a second phase.
    expect(parseOptions(['--replicas', 'workflow=1'])).toMatchObject({ replicas: [ONE_EACH] });
  });

  it('collects --set KEY=VALUE pairs for the services', () => {
    expect(parseOptions(['--set', 'NOTIFIER_RATE_LIMIT_PER_SECOND=50', '--set=OUTBOX_POLL_MS=100'])).toMatchObject({
      settings: { NOTIFIER_RATE_LIMIT_PER_SECOND: '50', OUTBOX_POLL_MS: '100' },
    });
  });

  it('answers help', () => {
    expect(parseOptions(['--help'])).toBe('help');
  });

  it.each([
    [['--n', '0']],
    [['--n', '1.5']],
    [['--rate', 'fast']],
    [['--bogus', '1']],
    [['--n']],
    [['--set', 'lower=1']],
    [['--pg-tool', 'psql']],
  ])('refuses %j', (argv) => {
    expect(() => parseOptions(argv)).toThrow(UsageError);
  });
});

describe(parseReplicas.name, () => {
  it('names only the services that get more than one process', () => {
    expect(parseReplicas('workflow=2, notifier=2')).toEqual({ intake: 1, workflow: 2, notifier: 2 });
  });

  it('refuses an unknown service and a count out of 1 to 8', () => {
    expect(() => parseReplicas('console=2')).toThrow(UsageError);
    expect(() => parseReplicas('workflow=0')).toThrow(UsageError);
    expect(() => parseReplicas('workflow=9')).toThrow(UsageError);
  });
});
