// Where this process runs: a CI system (so its events are marked and never
// count as an installation) and the deployment kind (bare, docker,
// kubernetes). Pure functions of the environment passed in, so every system is
// unit-tested by its variables; lib/config.ts calls them once with the real one.
//
// CI systems come from ci-info's vendor table (maintained upstream; its index
// module reads process.env at import, which would bypass lib/config.ts and
// cannot be tested per system), minus hosting platforms whose variables are
// also set on a production server, plus variables it does not look at.
import { existsSync, readFileSync } from 'node:fs';
import vendors from 'ci-info/vendors.json';

type Env = Record<string, string | undefined>;

export type DeploymentKind = 'bare' | 'docker' | 'kubernetes';

export interface CiInfo {
  isCi: boolean;
  /** The system's name (e.g. "GitHub Actions"), or null when unknown or not CI. */
  name: string | null;
}

export interface RuntimeEnvironment {
  ci: CiInfo;
  deployment: DeploymentKind;
}

type VendorEnv = string | { env: string; includes: string } | { any: string[] } | Record<string, string>;
interface Vendor {
  name: string;
  env: VendorEnv | VendorEnv[];
}

// Set on a running production server too (a FlowForge deployed there is no CI run).
const HOSTING_NOT_CI = new Set(['Heroku', 'Render', 'Vercel', 'Netlify CI', 'Alpic']);

// Variables ci-info does not check (it wants JENKINS_URL and BUILD_ID together, the build ARN, ...).
const EXTRA_SYSTEMS: Array<{ name: string; any: string[] }> = [
  { name: 'GitHub Actions', any: ['GITHUB_RUN_ID'] },
  { name: 'GitLab CI', any: ['CI_JOB_ID', 'CI_PIPELINE_ID'] },
  { name: 'CircleCI', any: ['CIRCLE_BUILD_NUM'] },
  { name: 'Jenkins', any: ['JENKINS_URL', 'JENKINS_HOME'] },
  { name: 'Travis CI', any: ['TRAVIS_JOB_ID'] },
  { name: 'Azure Pipelines', any: ['SYSTEM_TEAMFOUNDATIONCOLLECTIONURI', 'BUILD_BUILDID'] },
  { name: 'AWS CodeBuild', any: ['CODEBUILD_BUILD_ID'] },
  { name: 'Bitbucket Pipelines', any: ['BITBUCKET_BUILD_NUMBER'] },
  { name: 'Buildkite', any: ['BUILDKITE_BUILD_ID'] },
];

// ci-info's generic signals (CI=1, a build number, ...), when no system is recognised.
const GENERIC_CI = [
  'CI',
  'CONTINUOUS_INTEGRATION',
  'BUILD_NUMBER',
  'CI_BUILD_ID',
  'CI_BUILD_NUMBER',
  'CI_NAME',
  'RUN_ID',
];

function matches(env: Env, rule: VendorEnv): boolean {
  if (typeof rule === 'string') return Boolean(env[rule]);
  if ('env' in rule && 'includes' in rule) return Boolean(env[rule.env]?.includes(rule.includes));
  if ('any' in rule && Array.isArray(rule.any)) return rule.any.some((name) => Boolean(env[name]));
  return Object.entries(rule as Record<string, string>).every(([name, value]) => env[name] === value);
}

export function detectCi(env: Env): CiInfo {
  // CI=false is the conventional way to say "not CI", whatever else is set (ci-info honours it too).
  if (env.CI?.trim().toLowerCase() === 'false') return { isCi: false, name: null };
  for (const vendor of vendors as Vendor[]) {
    if (HOSTING_NOT_CI.has(vendor.name)) continue;
    const rules = Array.isArray(vendor.env) ? vendor.env : [vendor.env];
    if (rules.every((rule) => matches(env, rule))) return { isCi: true, name: vendor.name };
  }
  for (const system of EXTRA_SYSTEMS) {
    if (system.any.some((name) => Boolean(env[name]))) return { isCi: true, name: system.name };
  }
  if (GENERIC_CI.some((name) => Boolean(env[name]?.trim()) && env[name]?.trim().toLowerCase() !== 'false'))
    return { isCi: true, name: null };
  return { isCi: false, name: null };
}

/** What the file system says about containers (injected in tests). */
export interface ContainerProbe {
  exists(path: string): boolean;
  read(path: string): string | null;
}

const realProbe: ContainerProbe = {
  exists: (file) => existsSync(file),
  read: (file) => {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return null;
    }
  },
};

export function detectDeployment(env: Env, probe: ContainerProbe = realProbe): DeploymentKind {
  // Every pod gets the API server's address; the service account token is mounted unless disabled.
  if (env.KUBERNETES_SERVICE_HOST || probe.exists('/var/run/secrets/kubernetes.io/serviceaccount/token'))
    return 'kubernetes';
  if (probe.exists('/.dockerenv') || probe.exists('/run/.containerenv')) return 'docker'; // Docker, Podman
  const cgroup = probe.read('/proc/1/cgroup') ?? '';
  if (/kubepods/.test(cgroup)) return 'kubernetes';
  if (/docker|containerd|libpod/.test(cgroup)) return 'docker';
  if (env.container) return 'docker'; // systemd's convention for OCI runtimes (podman, systemd-nspawn)
  return 'bare';
}

export function detectEnvironment(env: Env, probe?: ContainerProbe): RuntimeEnvironment {
  return { ci: detectCi(env), deployment: detectDeployment(env, probe) };
}
