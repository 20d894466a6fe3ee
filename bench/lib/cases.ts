import type { HttpAdapterName } from '../../src/http-adapter';
import type { AppKind } from '../apps/app-spec';
import { SAMPLE_VARIANTS, type SampleVariant } from '../apps/sample-variants';

export const ADAPTERS: readonly HttpAdapterName[] = ['express', 'fastify'];
export const ADAPTER_NAMES = { express: 'Express', fastify: 'Fastify' } as const;

/** One app process; `cold`: our module with its token cache off. */
export interface AppDef {
  readonly id: string;
  readonly label: string;
  readonly kind: AppKind;
  readonly adapter: HttpAdapterName;
  readonly cold?: boolean;
  /** `sample`: one step of JwtAuthGuard changed, to take its cost apart. */
  readonly variant?: SampleVariant;
}

/**
 * One measured route of an app, sent with the partner token or with no token. The public and
 * unguarded routes get the same token as the guarded ones (they ignore it): a partner sends it
 * on every request, and equal requests on the wire make a ratio the cost of the guard alone.
 */
export interface CaseDef {
  readonly id: string;
  readonly app: AppDef;
  readonly path: string;
  readonly withToken: boolean;
}

/** The minimal apps (one route, `GET /guarded`): id prefix, kind, label. */
const MINIMAL = [
  ['nest-bare', 'nest-bare', 'Nest, no guard'],
  ['ours', 'ours', 'Our module, warm (token cached)'],
  ['ours-cold', 'ours', 'Our module, cold (cache off)'],
  ['passport-jwt', 'passport-jwt', 'Hand-written passport-jwt guard'],
  ['floor', 'floor', 'Signature-only floor guard'],
] as const;
export type MinimalId = (typeof MINIMAL)[number][0];

export const CALIBRATION_ID = 'calibration';
export const sampleId = (
  adapter: HttpAdapterName,
  route: 'public' | 'guarded' | SampleVariant,
): string => `sample-${adapter}:${route}`;
export const minimalId = (prefix: MinimalId, adapter: HttpAdapterName): string =>
  `${prefix}-${adapter}`;

/** The sample app's public and guarded routes. */
export function sampleCases(adapter: HttpAdapterName): [CaseDef, CaseDef] {
  const label = `Sample app (${ADAPTER_NAMES[adapter]})`;
  const app: AppDef = { id: `sample-${adapter}`, label, kind: 'sample', adapter };
  return [
    { id: sampleId(adapter, 'public'), app, path: '/health', withToken: true },
    { id: sampleId(adapter, 'guarded'), app, path: '/partners/me', withToken: true },
  ];
}

/** The guarded route of the sample app with each variant (bench/apps/sample-variants), each its own app. */
export function sampleVariantCases(adapter: HttpAdapterName): CaseDef[] {
  return SAMPLE_VARIANTS.map((variant) => {
    const id = sampleId(adapter, variant);
    const label = `Sample app, ${variant} (${ADAPTER_NAMES[adapter]})`;
    const app: AppDef = {
      id: `sample-${variant}-${adapter}`,
      label,
      kind: 'sample',
      adapter,
      variant,
    };
    return { id, app, path: '/partners/me', withToken: true };
  });
}

/** Every case of a round, grouped by app: calibration, then per adapter the sample and minimal apps. */
export function roundCases(): CaseDef[] {
  const calibration: AppDef = {
    id: CALIBRATION_ID,
    label: 'Calibration: bare node:http hello world',
    kind: 'node-http',
    adapter: 'express',
  };
  return [
    { id: CALIBRATION_ID, app: calibration, path: '/', withToken: false },
    ...ADAPTERS.flatMap((adapter) => [
      ...sampleCases(adapter),
      ...sampleVariantCases(adapter),
      ...MINIMAL.map(([prefix, kind, label]): CaseDef => {
        const id = minimalId(prefix, adapter);
        const cold = prefix === 'ours-cold';
        const app = { id, label: `${label} (${ADAPTER_NAMES[adapter]})`, kind, adapter, cold };
        return { id, app, path: '/guarded', withToken: true };
      }),
    ]),
  ];
}

/**
 * Round `round`'s order: the apps in a fixed cycle, started one app later each round so none is
 * always first; an app's cases back to back, flipped every other round, so a ratio within an app
 * compares runs made seconds apart.
 */
export function roundOrder(cases: readonly CaseDef[], round: number): CaseDef[] {
  const groups: CaseDef[][] = [];
  for (const def of cases) {
    const last = groups.at(-1);
    if (last?.[0]?.app.id === def.app.id) last.push(def);
    else groups.push([def]);
  }
  const shift = round % groups.length;
  const cycled = [...groups.slice(shift), ...groups.slice(0, shift)];
  return cycled.flatMap((group) => (round % 2 === 1 ? [...group].reverse() : group));
}
