// CI systems and deployment kinds, each recognised by the variables (or files)
// it really sets. ci-info's real module (which reads process.env at import) is
// asked too, in a child process with the same variables, so our table and the
// package agree on every system both know.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { detectCi, detectDeployment, type ContainerProbe } from '../../lib/events/environment';

const systems: Array<[string, Record<string, string>]> = [
  ['GitHub Actions', { GITHUB_ACTIONS: 'true', CI: 'true', GITHUB_RUN_ID: '1658821493' }],
  ['GitLab CI', { GITLAB_CI: 'true', CI: 'true', CI_JOB_ID: '50' }],
  ['CircleCI', { CIRCLECI: 'true', CI: 'true', CIRCLE_BUILD_NUM: '12' }],
  ['Jenkins', { JENKINS_URL: 'https://ci.example.com/', BUILD_ID: '42', BUILD_NUMBER: '42' }],
  ['Travis CI', { TRAVIS: 'true', CI: 'true', CONTINUOUS_INTEGRATION: 'true' }],
  ['Azure Pipelines', { TF_BUILD: 'True', BUILD_BUILDID: '17' }],
  ['AWS CodeBuild', { CODEBUILD_BUILD_ARN: 'arn:aws:codebuild:eu-west-1:123:build/p:1', CODEBUILD_BUILD_ID: 'p:1' }],
  ['Bitbucket Pipelines', { BITBUCKET_COMMIT: 'abc123', BITBUCKET_BUILD_NUMBER: '7', CI: 'true' }],
  ['Buildkite', { BUILDKITE: 'true', CI: 'true', BUILDKITE_BUILD_ID: 'x' }],
];

// Variables ci-info alone would miss.
const missedByCiInfo: Array<[string, Record<string, string>]> = [
  ['Jenkins', { JENKINS_HOME: '/var/lib/jenkins' }],
  ['AWS CodeBuild', { CODEBUILD_BUILD_ID: 'p:1' }],
  ['Azure Pipelines', { SYSTEM_TEAMFOUNDATIONCOLLECTIONURI: 'https://dev.azure.com/org/' }],
  ['Bitbucket Pipelines', { BITBUCKET_BUILD_NUMBER: '7' }],
  ['GitHub Actions', { GITHUB_RUN_ID: '1658821493' }],
];

function ciInfoSays(env: Record<string, string>): { isCI: boolean; name: string | null } {
  const out = execFileSync(
    process.execPath,
    ['-e', "const c=require('ci-info');console.log(JSON.stringify({isCI:c.isCI,name:c.name}))"],
    {
      env: { PATH: process.env.PATH ?? '', ...env } as unknown as NodeJS.ProcessEnv,
      encoding: 'utf8',
    },
  );
  return JSON.parse(out);
}

describe('detectCi', () => {
  it.each(systems)('%s', (name, env) => {
    expect(detectCi(env)).toEqual({ isCi: true, name });
    expect(ciInfoSays(env)).toEqual({ isCI: true, name });
  });

  it.each(missedByCiInfo)('%s by a variable ci-info does not check', (name, env) => {
    expect(detectCi(env)).toEqual({ isCi: true, name });
  });

  it('CI=true alone is CI of an unknown system', () => {
    expect(detectCi({ CI: 'true' })).toEqual({ isCi: true, name: null });
    expect(detectCi({ CI: '1' })).toEqual({ isCi: true, name: null });
  });

  it('CI=false wins over everything, as in ci-info', () => {
    expect(detectCi({ CI: 'false', GITHUB_ACTIONS: 'true' })).toEqual({ isCi: false, name: null });
  });

  it('a plain server, and hosting platforms that set their variables on the running server too, are not CI', () => {
    expect(detectCi({})).toEqual({ isCi: false, name: null });
    expect(detectCi({ HOME: '/root', PATH: '/usr/bin' })).toEqual({ isCi: false, name: null });
    expect(detectCi({ RENDER: 'true' })).toEqual({ isCi: false, name: null });
    expect(detectCi({ NODE: '/app/.heroku/node/bin/node' })).toEqual({ isCi: false, name: null });
    expect(detectCi({ VERCEL: '1' })).toEqual({ isCi: false, name: null });
  });
});

function probe(files: Record<string, string>): ContainerProbe {
  return { exists: (file) => file in files, read: (file) => files[file] ?? null };
}

describe('detectDeployment', () => {
  it('Kubernetes by its service variable, its service-account token or the pod cgroup', () => {
    expect(detectDeployment({ KUBERNETES_SERVICE_HOST: '10.96.0.1' }, probe({}))).toBe('kubernetes');
    expect(detectDeployment({}, probe({ '/var/run/secrets/kubernetes.io/serviceaccount/token': 'x' }))).toBe(
      'kubernetes',
    );
    expect(detectDeployment({}, probe({ '/proc/1/cgroup': '0::/kubepods/besteffort/pod1/abc\n' }))).toBe('kubernetes');
  });

  it('Docker and Podman by their marker files, the cgroup or $container', () => {
    expect(detectDeployment({}, probe({ '/.dockerenv': '' }))).toBe('docker');
    expect(detectDeployment({}, probe({ '/run/.containerenv': '' }))).toBe('docker');
    expect(detectDeployment({}, probe({ '/proc/1/cgroup': '12:memory:/docker/3f1e...\n' }))).toBe('docker');
    expect(detectDeployment({ container: 'podman' }, probe({}))).toBe('docker');
  });

  it('bare otherwise', () => {
    expect(detectDeployment({}, probe({ '/proc/1/cgroup': '0::/init.scope\n' }))).toBe('bare');
  });
});
