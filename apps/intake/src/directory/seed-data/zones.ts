import type { PairingSource } from '@shanhai/domain';

/**
 * Advanced development zones paired (结对) with mountain-county platforms. The programme paired the
 * 26 county platforms with 30 advanced zones; only the pairs the 2022 article names are listed as
 * such (not confirmed elsewhere). `demo` pairs exist for local demonstration only.
 */
export interface AdvancedZone {
  readonly code: string;
  readonly name: string;
  readonly cityName: string;
  readonly email: string;
}

export interface Pairing {
  /** The mountain-side county. */
  readonly countyCode: string;
  /** The mountain-side platform when it is not the county's own zone. */
  readonly platformName?: string;
  readonly zoneCode: string;
  readonly source: PairingSource;
  readonly note: string;
}

const zone = (code: string, name: string, cityName: string): AdvancedZone => ({ code, name, cityName, email: `${code}-zone@shanhai.example` });

export const advancedZones: readonly AdvancedZone[] = [
  zone('keqiao', '绍兴柯桥经济技术开发区', '绍兴市'),
  zone('fuyang', '杭州富阳经济技术开发区', '杭州市'),
  zone('ningbo-meishan', '宁波经济技术开发区（梅山）', '宁波市'),
  zone('xiaoshan', '萧山经济技术开发区', '杭州市'),
  zone('ningbo-petrochem', '宁波石化经济技术开发区', '宁波市'),
];

const ARTICLE = 'per the 2022 article (not confirmed elsewhere)';

export const pairings: readonly Pairing[] = [
  { countyCode: 'jiangshan', zoneCode: 'keqiao', source: 'article-2022', note: ARTICLE },
  { countyCode: 'jinyun', zoneCode: 'fuyang', source: 'article-2022', note: ARTICLE },
  { countyCode: 'qingtian', zoneCode: 'ningbo-meishan', source: 'article-2022', note: ARTICLE },
  { countyCode: 'longquan', zoneCode: 'xiaoshan', source: 'article-2022', note: ARTICLE },
  {
    countyCode: 'liandu',
    platformName: '丽水经济技术开发区',
    zoneCode: 'ningbo-petrochem',
    source: 'article-2022',
    note: `${ARTICLE}; a "double chain leader" (双链长制) pilot`,
  },
  { countyCode: 'qingyuan', zoneCode: 'keqiao', source: 'demo', note: 'illustrative pair for the local demo; not a real pairing' },
];
